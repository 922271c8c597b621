using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Tests.Fakes;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>The shared fake machine (real files under a temp root, fake apt/systemd/health) with scripted processes.</summary>
internal sealed class ModuleMachine(string root, params string[] repository) : IMachine
{
    public FakeMachine Fake { get; } = new(root, repository);

    public ScriptedProcesses Scripted { get; } = new();

    public IFileSystem Files => Fake.Files;

    public IPackageManager Packages => Fake.Packages;

    public IServiceManager Services => Fake.Services;

    public IHealthProbe Health => Fake.Health;

    public IProcessRunner Processes => Scripted;
}
