using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>The machine as one step sees it: every readiness wait is timed into the step's <see cref="StepTrace"/>.</summary>
internal sealed class TracedMachine(IMachine machine, StepTrace trace, TimeProvider time) : IMachine, IHealthProbe
{
    public IFileSystem Files => machine.Files;

    public IPackageManager Packages => machine.Packages;

    public IServiceManager Services => machine.Services;

    public IHealthProbe Health => this;

    public IProcessRunner Processes => machine.Processes;

    public Task WaitForPortAsync(string unit, string host, int port, TimeSpan deadline, CancellationToken cancellationToken) =>
        TimeAsync($"{unit}: {host}:{port} accepts connections", () => machine.Health.WaitForPortAsync(unit, host, port, deadline, cancellationToken));

    public Task WaitForHttpAsync(string unit, Uri uri, TimeSpan deadline, CancellationToken cancellationToken, Func<int, bool>? accept = null) =>
        TimeAsync($"{unit}: GET {uri}", () => machine.Health.WaitForHttpAsync(unit, uri, deadline, cancellationToken, accept));

    public Task WaitForHttpsAsync(string unit, Uri uri, string caCertificatePath, TimeSpan deadline, CancellationToken cancellationToken) =>
        TimeAsync($"{unit}: GET {uri}", () => machine.Health.WaitForHttpsAsync(unit, uri, caCertificatePath, deadline, cancellationToken));

    public Task WaitForCommandAsync(string unit, ProcessSpec command, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return TimeAsync($"{unit}: {command.Display()}", () => machine.Health.WaitForCommandAsync(unit, command, deadline, cancellationToken));
    }

    public Task WaitUntilAsync(string unit, string what, Func<CancellationToken, Task<string?>> attempt, TimeSpan deadline, CancellationToken cancellationToken) =>
        TimeAsync($"{unit}: {what}", () => machine.Health.WaitUntilAsync(unit, what, attempt, deadline, cancellationToken));

    private async Task TimeAsync(string what, Func<Task> wait)
    {
        var started = time.GetTimestamp();
        var succeeded = false;
        try
        {
            await wait();
            succeeded = true;
        }
        finally
        {
            trace.Waited(what, time.GetElapsedTime(started), succeeded);
        }
    }
}
