using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Tests.Fakes;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>The fake machine's files, packages, units and health, with real processes (for steps run against a real server).</summary>
internal sealed class RealProcessMachine(FakeMachine fake, IProcessRunner processes) : IMachine
{
    public IFileSystem Files => fake.Files;

    public IPackageManager Packages => fake.Packages;

    public IServiceManager Services => fake.Services;

    public IHealthProbe Health => fake.Health;

    public IProcessRunner Processes => processes;
}
