using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Real files under a temp root; fake packages, systemd and health; processes answered from a script (user accounts kept).</summary>
internal sealed class FakeMachine(string root, params string[] repository) : IMachine, IHealthProbe
{
    public LocalFileSystem LocalFiles { get; } = new(ProcessRunner.Silent, root);

    public FakePackages FakePackages { get; } = new(repository);

    public FakeServices FakeServices { get; } = new();

    public ScriptedProcesses Scripted { get; } = FakeAccounts.Emulate(new());

    public List<string> Probes { get; } = [];

    public IFileSystem Files => LocalFiles;

    public IPackageManager Packages => FakePackages;

    public IServiceManager Services => FakeServices;

    public IHealthProbe Health => this;

    public IProcessRunner Processes => Scripted;

    public Task WaitForPortAsync(string unit, string host, int port, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Probes.Add($"{unit} {host}:{port}");
        return Task.CompletedTask;
    }

    public Task WaitForHttpAsync(string unit, Uri uri, TimeSpan deadline, CancellationToken cancellationToken, Func<int, bool>? accept = null)
    {
        Probes.Add($"{unit} {uri}");
        return Task.CompletedTask;
    }

    public Task WaitForHttpsAsync(string unit, Uri uri, string caCertificatePath, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Probes.Add($"{unit} {uri} (CA {caCertificatePath})");
        return Task.CompletedTask;
    }

    public Task WaitForCommandAsync(string unit, ProcessSpec command, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Probes.Add($"{unit} {command.Display()}");
        return Task.CompletedTask;
    }
}
