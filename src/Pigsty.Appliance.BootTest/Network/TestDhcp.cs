using System.Globalization;
using System.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Network;

/// <summary>
/// DHCP for guests that boot without a seed (plain images): dnsmasq inside the test network's namespace, on its bridge only, answering
/// only the reserved MACs with their fixed addresses (no pool, no DNS, no router). It runs until disposed, and the namespace's teardown
/// kills it if the run never gets that far.
/// </summary>
public sealed class TestDhcp : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<ProcessResult> _running;

    private TestDhcp(Func<CancellationToken, Task<ProcessResult>> start, string leaseFile)
    {
        LeaseFile = leaseFile;
        _running = start(_stop.Token);
    }

    /// <summary>dnsmasq's lease file: one line per address it handed out.</summary>
    public string LeaseFile { get; }

    /// <summary>
    /// The dnsmasq command: no config file, DHCP only (<c>--port=0</c>), bound to <paramref name="bridge"/>, a static-only range in the
    /// reservations' /24, one <c>--dhcp-host</c> per reservation, empty router and DNS options (the guests need neither), logs on stderr.
    /// </summary>
    public static ProcessSpec Command(string bridge, IReadOnlyList<(TapNic Nic, IPAddress Address)> reservations, string leaseFile, string pidFile)
    {
        ArgumentNullException.ThrowIfNull(reservations);
        if (reservations.Count == 0)
        {
            throw new ArgumentException("no reservation: dnsmasq would answer nobody", nameof(reservations));
        }

        var network = reservations[0].Address.GetAddressBytes();
        var subnet = string.Create(CultureInfo.InvariantCulture, $"{network[0]}.{network[1]}.{network[2]}.0");
        return new ProcessSpec("dnsmasq",
        [
            "--no-daemon", "--conf-file=/dev/null", "--port=0", "--no-resolv", "--no-hosts",
            $"--interface={bridge}", "--bind-interfaces", "--dhcp-authoritative", "--log-dhcp",
            $"--dhcp-range={subnet},static,255.255.255.0,12h",
            .. reservations.Select(r => $"--dhcp-host={r.Nic.Mac},{r.Address}"),
            "--dhcp-option=option:router", "--dhcp-option=option:dns-server",
            $"--dhcp-leasefile={leaseFile}", $"--pid-file={pidFile}", "--user=root",
        ]);
    }

    /// <summary>Starts dnsmasq in <paramref name="network"/>'s namespace, writing its lease and pid files into <paramref name="directory"/>.</summary>
    public static TestDhcp Start(IProcessRunner runner, TestNetwork network, IReadOnlyList<(TapNic Nic, IPAddress Address)> reservations, string directory,
        TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(network);
        Directory.CreateDirectory(directory);
        var leases = Path.GetFullPath(Path.Combine(directory, "dnsmasq.leases"));
        File.Delete(leases);
        var spec = TestNetwork.Inside(network.Name, Command(TestNetwork.Bridge, reservations, leases, Path.GetFullPath(Path.Combine(directory, "dnsmasq.pid"))))
            with { ThrowOnNonZeroExit = false, Timeout = lifetime, KillGrace = TimeSpan.FromSeconds(5) };
        return new TestDhcp(token => runner.RunAsync(spec, token), leases);
    }

    /// <summary>The addresses dnsmasq handed out, by MAC (from the lease file's <c>expiry mac address name client-id</c> lines).</summary>
    public static IReadOnlyDictionary<string, string> Leases(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 3)
            .GroupBy(f => f[1].ToLowerInvariant(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[2], StringComparer.Ordinal);
    }

    /// <summary>The leases handed out so far.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LeasesAsync(CancellationToken cancellationToken) =>
        File.Exists(LeaseFile) ? Leases(await File.ReadAllTextAsync(LeaseFile, cancellationToken)) : new Dictionary<string, string>();

    /// <summary>Whether dnsmasq stopped on its own (it failed to start: its stderr says why).</summary>
    public bool Exited => _running.IsCompleted;

    /// <summary>What dnsmasq said, once it has stopped.</summary>
    public async Task<string> OutputAsync() => _running.IsCompleted ? (await _running).StandardError : "";

    /// <summary>Stops dnsmasq (SIGTERM, then kill).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (Exception e) when (e is OperationCanceledException or Core.Errors.ToolException)
        {
            // Stopped as asked, or by its lifetime before that.
        }

        _stop.Dispose();
    }
}
