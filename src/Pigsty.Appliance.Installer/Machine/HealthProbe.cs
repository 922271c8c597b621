using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Polls a port or an HTTP endpoint until it answers or the deadline passes; a timeout carries the unit's journal tail.</summary>
public sealed class HealthProbe(IServiceManager services, HttpClient http, TimeProvider time, IProcessRunner processes) : IHealthProbe
{
    /// <summary>The first pause between attempts; each next one is half as long again, up to <see cref="MaxInterval"/>.</summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause that backing off reaches (an expensive attempt may still pause longer, see <see cref="NextPause"/>).</summary>
    internal static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(2);

    /// <summary>A pause is at least this many times what the attempt before it took.</summary>
    internal const int CostFactor = 4;

    /// <summary>No pause is longer than this, however long the attempt before it took.</summary>
    internal static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);

    // Generous for a loaded emulated machine: an attempt that hangs this long counts as one failed attempt, not as the end.
    // node_exporter's /metrics once took longer than 10 s on every attempt for a minute there.
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    public Task WaitForPortAsync(string unit, string host, int port, TimeSpan deadline, CancellationToken cancellationToken) =>
        PollAsync(unit, $"{host}:{port} to accept connections", deadline, async token =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, token);
            return null;
        }, cancellationToken);

    public Task WaitForHttpAsync(string unit, Uri uri, TimeSpan deadline, CancellationToken cancellationToken, Func<int, bool>? accept = null) =>
        PollAsync(unit, $"GET {uri} to succeed", deadline, async token =>
        {
            using var response = await http.GetAsync(uri, token);
            var status = (int)response.StatusCode;
            return (accept ?? (s => s is >= 200 and < 300))(status) ? null : $"HTTP {status}";
        }, cancellationToken);

    public async Task WaitForHttpsAsync(string unit, Uri uri, string caCertificatePath, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(caCertificatePath, cancellationToken));
        using var handler = new HttpClientHandler
        {
            // Our services carry certificates from the site CA, which is not (and need not be) in the system's trust store.
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => certificate is not null
                && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                && Shared.CertificateAuthority.ChainsTo(certificate, ca),
        };
        using var client = new HttpClient(handler);
        await PollAsync(unit, $"GET {uri} to succeed", deadline, async token =>
        {
            using var response = await client.GetAsync(uri, token);
            var status = (int)response.StatusCode;
            return status is >= 200 and < 300 ? null : $"HTTP {status}";
        }, cancellationToken);
    }

    public Task WaitForCommandAsync(string unit, ProcessSpec command, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return PollAsync(unit, $"'{command.Display()}' to succeed", deadline, async token =>
        {
            var result = await processes.RunAsync(command with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromSeconds(5) }, token);
            return result.Succeeded
                ? null
                : $"exit {result.ExitCode}: {command.Mask(result.StandardError.Trim())}";
        }, cancellationToken);
    }

    public Task WaitUntilAsync(string unit, string what, Func<CancellationToken, Task<string?>> attempt, TimeSpan deadline,
        CancellationToken cancellationToken) =>
        PollAsync(unit, what, deadline, attempt, cancellationToken);

    /// <summary>
    /// The pause after an attempt that took <paramref name="took"/>, the one before having been <paramref name="previous"/> (zero at first).
    /// </summary>
    /// <remarks>
    /// At a fixed 250 ms, the waits that start a process per attempt (psql, pgbackrest, etcdctl) took most of a starved one-vCPU node in
    /// the HA boot test, where one psql took a second and more of CPU, and so slowed down what they waited for. Backing off to 2 s keeps
    /// a fast machine's waits short; pausing at least four times the attempt's own time keeps any poller under a fifth of the CPU.
    /// </remarks>
    internal static TimeSpan NextPause(TimeSpan previous, TimeSpan took)
    {
        var backoff = previous <= TimeSpan.Zero ? Interval : TimeSpan.FromTicks(Math.Min((long)(previous.Ticks * 1.5), MaxInterval.Ticks));
        var cost = took * CostFactor;
        return TimeSpan.FromTicks(Math.Min(Math.Max(backoff.Ticks, cost.Ticks), LongestPause.Ticks));
    }

    /// <summary>The one polling loop of first boot: attempts paced by <see cref="NextPause"/> until one succeeds or the deadline passes.</summary>
    private async Task PollAsync(string unit, string what, TimeSpan deadline, Func<CancellationToken, Task<string?>> attempt,
        CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + deadline;
        var pause = TimeSpan.Zero;
        string last;
        while (true)
        {
            using var perAttempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            perAttempt.CancelAfter(AttemptTimeout);
            var started = time.GetTimestamp();
            try
            {
                if (await attempt(perAttempt.Token) is not { } problem)
                {
                    return;
                }

                last = problem;
            }
            catch (Exception e) when (e is SocketException or HttpRequestException or IOException or ToolException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = e.Message;
            }

            var now = time.GetUtcNow();
            if (now >= until)
            {
                var journal = await services.JournalTailAsync(unit, 15, CancellationToken.None);
                throw new InstallException(unit,
                    $"waited {deadline.TotalSeconds:0} s for {what} ({unit}); last error: {last}\n--- journal of {unit} ---\n{journal}");
            }

            // The last attempt comes at the deadline, not a long pause after it.
            pause = NextPause(pause, time.GetElapsedTime(started));
            await Task.Delay(pause < until - now ? pause : until - now, time, cancellationToken);
        }
    }
}
