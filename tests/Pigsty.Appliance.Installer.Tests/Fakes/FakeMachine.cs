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

    /// <summary>The deadline each port wait was given, by probe (the last one when a probe repeats).</summary>
    public Dictionary<string, TimeSpan> PortDeadlines { get; } = [];

    /// <summary>The deadline each HTTP wait and each <see cref="WaitUntilAsync"/> was given, by probe (the last one when a probe repeats).</summary>
    public Dictionary<string, TimeSpan> WaitDeadlines { get; } = [];

    public IFileSystem Files => LocalFiles;

    public IPackageManager Packages => FakePackages;

    public IServiceManager Services => FakeServices;

    public IHealthProbe Health => this;

    public IProcessRunner Processes => Scripted;

    public Task WaitForPortAsync(string unit, string host, int port, TimeSpan deadline, CancellationToken cancellationToken)
    {
        lock (Probes)
        {
            PortDeadlines[$"{unit} {host}:{port}"] = deadline;
        }

        return Probe($"{unit} {host}:{port}");
    }

    public Task WaitForHttpAsync(string unit, Uri uri, TimeSpan deadline, CancellationToken cancellationToken, Func<int, bool>? accept = null)
    {
        lock (Probes)
        {
            WaitDeadlines[$"{unit} {uri}"] = deadline;
        }

        return Probe($"{unit} {uri}");
    }

    public Task WaitForHttpsAsync(string unit, Uri uri, string caCertificatePath, TimeSpan deadline, CancellationToken cancellationToken)
    {
        return Probe($"{unit} {uri} (CA {caCertificatePath})");
    }

    public Task WaitForCommandAsync(string unit, ProcessSpec command, TimeSpan deadline, CancellationToken cancellationToken) =>
        Probe($"{unit} {command.Display()}");

    /// <summary>Asks once: a fake machine has no time to wait through, so what is not ready now fails like a deadline would.</summary>
    public async Task WaitUntilAsync(string unit, string what, Func<CancellationToken, Task<string?>> attempt, TimeSpan deadline, CancellationToken cancellationToken)
    {
        lock (Probes)
        {
            WaitDeadlines[$"{unit} {what}"] = deadline;
        }

        await Probe($"{unit} {what}");
        if (await attempt(cancellationToken) is { } problem)
        {
            throw new Core.Errors.InstallException(unit, $"waited for {what} ({unit}); last error: {problem}");
        }
    }

    private Task Probe(string probe)
    {
        lock (Probes)
        {
            Probes.Add(probe);
        }

        return Task.CompletedTask;
    }
}
