using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Everything a step may touch on the node; tests replace it with fakes.</summary>
public interface IMachine
{
    IFileSystem Files { get; }

    IPackageManager Packages { get; }

    IServiceManager Services { get; }

    IHealthProbe Health { get; }

    IProcessRunner Processes { get; }
}
