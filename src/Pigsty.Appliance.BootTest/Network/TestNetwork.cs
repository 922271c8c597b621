using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Network;

/// <summary>
/// An isolated L2 network for guests: a network namespace of this run's own, a Linux bridge and one tap per VM inside it, no DHCP
/// anywhere. The bridge carries one test address so host-side checks run in the namespace (<c>ip netns exec</c>); nothing is ever
/// added to the host's own interfaces. Disposing it (also on failure, and at process exit) kills every process left in the
/// namespace (QEMU, load helpers), deletes the taps and the namespace.
/// </summary>
public sealed partial class TestNetwork : IAsyncDisposable
{
    /// <summary>The bridge inside the namespace.</summary>
    public const string Bridge = "br0";

    /// <summary>Names of this harness's namespaces: <c>pigsty-bt-&lt;pid&gt;-&lt;random&gt;</c>, so a stale one is recognised by its dead owner.</summary>
    public const string Prefix = "pigsty-bt-";

    private readonly IProcessRunner _runner;
    private readonly int _taps;
    private int _disposed;

    private TestNetwork(IProcessRunner runner, string name, string bridgeAddress, int taps)
    {
        _runner = runner;
        Name = name;
        BridgeAddress = bridgeAddress;
        _taps = taps;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>The bridge's address with its prefix (e.g. <c>10.10.10.1/24</c>): where host-side checks come from.</summary>
    public string BridgeAddress { get; }

    /// <summary>A fresh namespace name for this process.</summary>
    public static string UniqueName() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");

    /// <summary>The tap of VM <paramref name="index"/> and a MAC address made from its guest address (52:54:00, QEMU's prefix, then the address's last three bytes).</summary>
    public static TapNic Tap(int index, IPAddress guest)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var bytes = guest.GetAddressBytes();
        return new TapNic(string.Create(CultureInfo.InvariantCulture, $"tap{index}"), $"52:54:00:{bytes[^3]:x2}:{bytes[^2]:x2}:{bytes[^1]:x2}");
    }

    /// <summary>The commands that build the network: namespace, loopback, bridge with its address, taps on the bridge.</summary>
    public static IReadOnlyList<ProcessSpec> SetupCommands(string name, string bridgeAddress, int taps)
    {
        var commands = new List<ProcessSpec>
        {
            ProcessSpec.Of("ip", "netns", "add", name),
            ProcessSpec.Of("ip", "-n", name, "link", "set", "lo", "up"),
            // No STP: the bridge forwards from the first frame instead of listening for 30 seconds.
            ProcessSpec.Of("ip", "-n", name, "link", "add", Bridge, "type", "bridge", "stp_state", "0", "forward_delay", "0"),
            ProcessSpec.Of("ip", "-n", name, "addr", "add", bridgeAddress, "dev", Bridge),
            ProcessSpec.Of("ip", "-n", name, "link", "set", Bridge, "up"),
        };
        for (var i = 0; i < taps; i++)
        {
            var tap = string.Create(CultureInfo.InvariantCulture, $"tap{i}");
            commands.Add(ProcessSpec.Of("ip", "-n", name, "tuntap", "add", "dev", tap, "mode", "tap"));
            commands.Add(ProcessSpec.Of("ip", "-n", name, "link", "set", tap, "master", Bridge, "up"));
        }

        return commands;
    }

    /// <summary>The commands that remove it again, each allowed to fail (a half-built network is torn down by the same list).</summary>
    public static IReadOnlyList<ProcessSpec> TeardownCommands(string name, int taps) =>
    [
        .. Enumerable.Range(0, taps).Select(i => ProcessSpec.Of("ip", "-n", name, "link", "del", string.Create(CultureInfo.InvariantCulture, $"tap{i}"))),
        ProcessSpec.Of("ip", "-n", name, "link", "del", Bridge),
        ProcessSpec.Of("ip", "netns", "del", name),
    ];

    /// <summary><paramref name="spec"/> run inside namespace <paramref name="name"/> (environment, input and secrets kept).</summary>
    public static ProcessSpec Inside(string name, ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec with { FileName = "ip", Arguments = ["netns", "exec", name, spec.FileName, .. spec.Arguments] };
    }

    /// <summary>Builds the network; a failure half-way removes what was built.</summary>
    public static async Task<TestNetwork> CreateAsync(IProcessRunner runner, string bridgeAddress, int taps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        await RemoveStaleAsync(runner, cancellationToken);
        var network = new TestNetwork(runner, UniqueName(), bridgeAddress, taps);
        try
        {
            foreach (var command in SetupCommands(network.Name, bridgeAddress, taps))
            {
                await runner.RunAsync(command, cancellationToken);
            }

            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs <paramref name="spec"/> inside the namespace.</summary>
    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken) => _runner.RunAsync(Inside(Name, spec), cancellationToken);

    /// <summary>MAC addresses the bridge learnt from frames on its taps (not its own ports' addresses).</summary>
    public async Task<IReadOnlyList<string>> LearnedMacsAsync(CancellationToken cancellationToken)
    {
        var fdb = await _runner.RunAsync(ProcessSpec.Of("ip", "netns", "exec", Name, "bridge", "fdb", "show", "br", Bridge), cancellationToken);
        return LearnedMacs(fdb.StandardOutput);
    }

    /// <summary>The learnt (dynamic) unicast entries of <c>bridge fdb show</c>: permanent entries are the bridge's and the taps' own.</summary>
    public static IReadOnlyList<string> LearnedMacs(string fdb)
    {
        ArgumentNullException.ThrowIfNull(fdb);
        return [.. fdb.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.Contains(" permanent", StringComparison.Ordinal) && !l.Contains(" self", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[0])
            .Where(m => MacPattern().IsMatch(m) && (Convert.ToByte(m[..2], 16) & 1) == 0)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Kills what still runs in the namespace, then removes taps, bridge and namespace; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        await RemoveAsync(_runner, Name, _taps, CancellationToken.None);
    }

    private static async Task RemoveAsync(IProcessRunner runner, string name, int taps, CancellationToken cancellationToken)
    {
        var pids = await runner.RunAsync(ProcessSpec.Of("ip", "netns", "pids", name) with { ThrowOnNonZeroExit = false }, cancellationToken);
        foreach (var pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            await runner.RunAsync(ProcessSpec.Of("kill", "-KILL", pid) with { ThrowOnNonZeroExit = false }, cancellationToken);
        }

        // A tap QEMU still holds open cannot go; give killed processes a moment to release theirs.
        for (var attempt = 0; attempt < 20 && (await runner.RunAsync(ProcessSpec.Of("ip", "netns", "pids", name) with { ThrowOnNonZeroExit = false }, cancellationToken))
            .StandardOutput.Trim().Length > 0; attempt++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        foreach (var command in TeardownCommands(name, taps))
        {
            await runner.RunAsync(command with { ThrowOnNonZeroExit = false }, cancellationToken);
        }
    }

    /// <summary>Removes namespaces of this harness whose owning process is gone (a run killed before it could clean up).</summary>
    private static async Task RemoveStaleAsync(IProcessRunner runner, CancellationToken cancellationToken)
    {
        var list = await runner.RunAsync(ProcessSpec.Of("ip", "netns", "list") with { ThrowOnNonZeroExit = false }, cancellationToken);
        foreach (var stale in StaleNames(list.StandardOutput, pid => Directory.Exists($"/proc/{pid}")))
        {
            // Deleting a namespace destroys the virtual links in it (taps, bridge): its tap count need not be known.
            await RemoveAsync(runner, stale, 0, cancellationToken);
        }
    }

    /// <summary>Names in <c>ip netns list</c> output made by a harness process that no longer runs.</summary>
    public static IReadOnlyList<string> StaleNames(string list, Func<int, bool> alive)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(alive);
        return [.. list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ')[0])
            .Select(n => (Name: n, Match: OwnerPattern().Match(n)))
            .Where(n => n.Match.Success && !alive(int.Parse(n.Match.Groups["pid"].Value, CultureInfo.InvariantCulture)))
            .Select(n => n.Name)];
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        // The host ends the program (SIGTERM, Ctrl-C after its grace) without unwinding this run: no VM or namespace may outlive it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            RemoveAsync(_runner, Name, _taps, CancellationToken.None).GetAwaiter().GetResult();
        }
    }

    [GeneratedRegex("^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")]
    private static partial Regex MacPattern();

    [GeneratedRegex(@"^pigsty-bt-(?<pid>[0-9]+)-[0-9a-f]+$")]
    private static partial Regex OwnerPattern();
}
