using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Push;

/// <summary>
/// <c>push</c>: push mode end to end. Builds the plain image (no first boot) from the bundle with this run's key, boots two VMs of it
/// (1 vCPU, 2 GiB, UEFI) on a bridge in a network namespace of this run, where dnsmasq hands each its reserved address; pins their
/// host keys from their consoles; then, from inside the namespace, <c>deploy</c> installs the first host (admin node, etcd, pg-meta's
/// primary) and must give a PostgreSQL writable on 5433, and <c>deploy --limit</c> of the second host, added to the inventory, must
/// give a streaming replica without restarting the primary; a re-run of that deploy must change nothing.
/// </summary>
internal sealed class PushRun(IProcessRunner runner, BootTester tester, string work, string cli, string? bundle, string key, string publicKey, TimeSpan deadline)
{
    private const int ServicePort = 5433;
    private const int ReplicaPort = 5434;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly List<CheckResult> _checks = [];
    private readonly Dictionary<string, double> _figures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _phases = new(StringComparer.Ordinal);
    private readonly string _directory = Path.Combine(work, "push");

    private string KnownHostsFile => Path.Combine(_directory, "known_hosts");

    public async Task<BootTestRun> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(_directory);
        var image = await ImageAsync(cancellationToken);
        var accelerator = "";
        string? result = null;
        if (image is not null)
        {
            var site = new PushSite(HaSite.Create(publicKey), await AdminUserAsync(cancellationToken));
            var before = await HostInterfaces.SnapshotAsync(runner, cancellationToken);
            var network = await TestNetwork.CreateAsync(runner, HaSite.BridgeAddress, PushSite.Hosts.Count, cancellationToken);
            var nodes = new List<HaNode>();
            TestDhcp? dhcp = null;
            try
            {
                var taps = PushSite.Hosts.Select((h, i) => TestNetwork.Tap(i, h)).ToList();
                dhcp = TestDhcp.Start(runner, network, [.. taps.Zip(PushSite.Hosts)], _directory, 4 * deadline);
                for (var i = 0; i < PushSite.Hosts.Count; i++)
                {
                    var host = PushSite.Hosts[i];
                    var session = await tester.SessionAsync(SessionName(host), new BootTestOptions(image, Firmware.Uefi, work)
                    {
                        Cpus = 1, MemoryMiB = 2048, GuestPorts = [], Deadline = deadline, Tap = taps[i], NetworkNamespace = network.Name,
                    }, cancellationToken);
                    nodes.Add(new HaNode(host, session));
                }

                foreach (var node in nodes)
                {
                    await node.PowerOnAsync(cancellationToken);
                }

                accelerator = nodes[0].Vm!.Accelerator.ToString().ToLowerInvariant();
                result = await SiteAsync(site, nodes, network, dhcp, cancellationToken);
                _checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "while the guests run"));
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.PowerOffAsync();
                }

                if (dhcp is not null)
                {
                    await dhcp.DisposeAsync();
                }

                await network.DisposeAsync();
            }

            _checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "after the run"));
        }

        _figures["scenario_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        return new BootTestRun("push", "uefi", accelerator, _checks.Count > 0 && _checks.All(c => c.Passed || c.Skipped), _phases,
            image is null ? "no plain image: nothing booted" : result ?? "deploy installed the first host and added the replica",
            [.. _checks], Path.Combine(work, SessionName(PushSite.Hosts[0]) + ".serial.log"))
        {
            Figures = _figures,
        };
    }

    private static string SessionName(IPAddress host) => $"push-{host}";

    /// <summary>Builds the plain image with the run's public key (the committed definition holds nobody's); its raw image, or null.</summary>
    private async Task<string?> ImageAsync(CancellationToken cancellationToken)
    {
        const string name = $"pigsty-appliance image --image {PushSite.ImageDefinition} builds the plain image from the bundle with the run's key";
        if (bundle is null || !File.Exists(bundle) || !File.Exists(cli))
        {
            _checks.Add(new CheckResult(name, false, bundle is null ? "no --bundle: the plain image and deploy both need it"
                : !File.Exists(bundle) ? $"{bundle} does not exist" : $"{cli} does not exist (the BootTest target publishes it)"));
            return null;
        }

        var clock = Stopwatch.StartNew();
        var spec = PushSite.ImageCommand(cli, bundle, key + ".pub", Path.Combine(_directory, "dist"), Path.Combine(_directory, "image"))
            with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(40) };
        var ran = await TryRunAsync(spec, cancellationToken);
        _figures["image_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        var image = ran is { Succeeded: true } ? ImagePath(ran.StandardOutput) : null;

        _checks.Add(new CheckResult(name, image is not null && File.Exists(image),
            ran is null ? "timed out" : image is null ? $"exited with code {ran.ExitCode}: {Squash(ran.StandardError)}"
            : string.Create(CultureInfo.InvariantCulture, $"{image} in {clock.Elapsed.TotalSeconds:0} s")));
        return image is not null && File.Exists(image) ? image : null;
    }

    /// <summary>The raw image (the first listed) in <c>image --json</c>'s summary, or null when the output is not that summary.</summary>
    public static string? ImagePath(string json)
    {
        try
        {
            using var summary = JsonDocument.Parse(json);
            return summary.RootElement.GetProperty("images")[0].GetProperty("path").GetString();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The login the plain image gives deploy, as its definition names it (the inventory's ansible_user).</summary>
    private static async Task<string> AdminUserAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine("images", PushSite.ImageDefinition + ".yml");
        return ImageDefinitionLoader.Parse(await File.ReadAllTextAsync(path, cancellationToken), path, []).AdminUser
            ?? throw new InputException(path, "the plain image names no admin_user: deploy could not log in");
    }

    /// <summary>Host keys, addresses, the first deploy and its checks, then the replica; null when every step held, else what stopped the run.</summary>
    private async Task<string?> SiteAsync(PushSite site, IReadOnlyList<HaNode> nodes, TestNetwork network, TestDhcp dhcp, CancellationToken cancellationToken)
    {
        if (!await PinHostKeysAsync(nodes, dhcp, cancellationToken))
        {
            return "host keys or addresses missing: nothing deployed";
        }

        var (primary, replica) = (PushSite.Hosts[0], PushSite.Hosts[1]);
        if (!await DeployAsync("deploy", "deploy of the first host (admin node, etcd, pg-meta primary)", site, withReplica: false, null, network, cancellationToken))
        {
            return "the first deploy failed";
        }

        var client = new HaClient(runner, network, site.Passwords.MetaPassword);
        var marker = "push-" + Guid.NewGuid().ToString("N")[..8];
        var write = await RetryAsync(async () =>
        {
            var wrote = await client.WriteAsync(primary, ServicePort, marker, cancellationToken);
            return new CheckResult($"{primary}:{ServicePort} accepts writes as {HaSite.User} after deploy", wrote.Ok, wrote.Detail);
        }, TimeSpan.FromMinutes(3), cancellationToken);
        _checks.Add(write);
        if (!write.Passed)
        {
            return "PostgreSQL is not writable on 5433 after the first deploy";
        }

        using var shell = new GuestShell(key, 22, "dba", primary.ToString(), network.Name);
        var startedBefore = await PostmasterStartAsync(shell, cancellationToken);
        if (!await DeployAsync("deploy_replica", $"deploy --limit {replica} after adding it to the inventory as pg-meta's replica", site, withReplica: true, replica,
            network, cancellationToken))
        {
            return "the replica's deploy failed";
        }

        await ReplicaChecksAsync(client, shell, marker, startedBefore, cancellationToken);
        await DeployAsync("redeploy_replica", $"deploy --limit {replica} again changes nothing", site, withReplica: true, replica, network, cancellationToken,
            unchangedExpected: true);
        return _checks.All(c => c.Passed || c.Skipped) ? null : "a check after deploy failed";
    }

    /// <summary>Waits for each guest's login prompt, reads its host keys off its console into known_hosts, and checks the DHCP leases.</summary>
    private async Task<bool> PinHostKeysAsync(IReadOnlyList<HaNode> nodes, TestDhcp dhcp, CancellationToken cancellationToken)
    {
        var pinned = new List<(IPAddress Host, IReadOnlyList<string> Keys)>();
        foreach (var node in nodes)
        {
            var vm = node.Vm!;
            var login = await vm.WaitForPhaseAsync(BootPhase.Login, TimeSpan.FromMinutes(15), cancellationToken);
            if (login is not null)
            {
                _phases[$"{node.Host} login"] = Math.Round(login.Elapsed.TotalSeconds, 1);
            }

            // The key unit and the getty are not ordered: the keys may follow the prompt. sed prints them together, ed25519 among them.
            await vm.WaitForLineAsync(l => HostKeyConsole.KeyOf(l)?.StartsWith("ssh-ed25519 ", StringComparison.Ordinal) == true, TimeSpan.FromMinutes(2), cancellationToken);
            var keys = vm.Lines.Select(l => HostKeyConsole.KeyOf(l.Text)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            _checks.Add(new CheckResult($"{node.Host}: boots to a login prompt and shows its SSH host keys on the console", login is not null && keys.Count > 0,
                login is null ? "no login prompt within 15 minutes"
                : keys.Count == 0 ? $"no '{HostKeyConsole.Prefix.Trim()}' line on the console"
                : string.Create(CultureInfo.InvariantCulture, $"login after {login.Elapsed.TotalSeconds:0} s; keys {string.Join(", ", keys.Select(k => k.Split(' ')[0]))}")));
            pinned.Add((node.Host, keys));
        }

        await AtomicFile.WriteAllTextAsync(KnownHostsFile, PushSite.KnownHosts(pinned), cancellationToken);
        var expected = PushSite.Hosts.Select((h, i) => (Mac: TestNetwork.Tap(i, h).Mac, Address: h.ToString())).ToList();
        var leased = await CheckRetry.UntilPassedAsync(async () =>
        {
            var leases = await dhcp.LeasesAsync(cancellationToken);
            var missing = expected.Where(e => leases.GetValueOrDefault(e.Mac) != e.Address).ToList();
            return new CheckResult("dnsmasq in the test's namespace gave each guest its reserved address", missing.Count == 0,
                missing.Count == 0 ? string.Join(", ", expected.Select(e => $"{e.Mac} → {e.Address}"))
                : dhcp.Exited ? $"dnsmasq stopped: {Squash(await dhcp.OutputAsync())}"
                : $"no lease yet for {string.Join(", ", missing.Select(m => $"{m.Mac} ({m.Address})"))}");
        }, TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5), cancellationToken);
        _checks.Add(leased);
        return leased.Passed && pinned.All(p => p.Keys.Count > 0);
    }

    /// <summary>
    /// Writes the inventory (0600: it holds passwords) and runs deploy inside the namespace; its output is kept beside the per-host logs.
    /// A check that it exited 0 (and, for a re-run, that its summary says nothing changed); true when it held.
    /// </summary>
    private async Task<bool> DeployAsync(string label, string title, PushSite site, bool withReplica, IPAddress? limit, TestNetwork network,
        CancellationToken cancellationToken, bool unchangedExpected = false)
    {
        var inventory = Path.Combine(_directory, "push-inventory.yml");
        await AtomicFile.WriteAllTextAsync(inventory, site.Inventory(withReplica), cancellationToken, Private);
        var spec = TestNetwork.Inside(network.Name, PushSite.DeployCommand(cli, inventory, Path.Combine(_directory, "site"), bundle!, key, KnownHostsFile,
            Path.Combine(_directory, "deploy-logs"), limit)) with { ThrowOnNonZeroExit = false, Timeout = deadline };
        var clock = Stopwatch.StartNew();
        var ran = await TryRunAsync(spec, cancellationToken);
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 1);
        _figures[$"{label}_seconds"] = seconds;
        await File.WriteAllTextAsync(Path.Combine(_directory, label + ".log"), ran is null ? "timed out\n" : ran.StandardOutput + ran.StandardError, cancellationToken);
        var summary = ran is null ? "" : Summary(ran.StandardOutput);
        var ok = ran is { ExitCode: 0 } && (!unchangedExpected || summary.Contains(" unchanged ", StringComparison.Ordinal));
        _checks.Add(new CheckResult($"{title}: exit 0{(unchangedExpected ? ", every host unchanged" : "")}", ok,
            ran is null ? string.Create(CultureInfo.InvariantCulture, $"timed out after {deadline.TotalMinutes:0} min")
            : string.Create(CultureInfo.InvariantCulture, $"exit {ran.ExitCode} after {seconds:0} s; {Squash(summary.Length > 0 ? summary : ran.StandardError)}")));
        return ok;
    }

    /// <summary>deploy's closing summary (from its <c>deploy summary:</c> line on).</summary>
    public static string Summary(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var at = output.LastIndexOf("deploy summary:", StringComparison.Ordinal);
        return at < 0 ? "" : output[at..].Trim();
    }

    /// <summary>The replica streams from the primary, serves the row written before it existed, and the primary did not restart.</summary>
    private async Task ReplicaChecksAsync(HaClient client, GuestShell primaryShell, string marker, string? startedBefore, CancellationToken cancellationToken)
    {
        var (primary, replica) = (PushSite.Hosts[0], PushSite.Hosts[1]);
        _checks.Add(await RetryAsync(async () =>
        {
            var streaming = await primaryShell.RunAsync(
                "sudo -u postgres psql -AtXc \"SELECT count(*) FILTER (WHERE state = 'streaming' AND client_addr = '" + replica + "') || ' of ' || count(*) FROM pg_stat_replication\"",
                cancellationToken, TimeSpan.FromMinutes(1));
            return new CheckResult($"the primary's pg_stat_replication shows {replica} streaming", streaming.Succeeded && streaming.StandardOutput.Trim() == "1 of 1",
                $"{primary}: {Squash(streaming.StandardOutput + streaming.StandardError)} streaming");
        }, TimeSpan.FromMinutes(5), cancellationToken));

        _checks.Add(await RetryAsync(async () =>
        {
            var list = await primaryShell.RunAsync(PatroniList.Command, cancellationToken, TimeSpan.FromMinutes(1));
            return PatroniList.Judge("patronictl list: the leader and one replica streaming with lag 0", list.Succeeded,
                list.StandardOutput + (list.Succeeded ? "" : list.StandardError), 2);
        }, TimeSpan.FromMinutes(3), cancellationToken));

        _checks.Add(await RetryAsync(async () =>
        {
            var read = await client.ReadAsync(replica, ReplicaPort, marker, cancellationToken);
            return new CheckResult($"{replica}:{ReplicaPort} (a replica) serves the row written through {primary}:{ServicePort} before it was added",
                read.Ok && read.Count == 1 && read.Detail.Contains("a replica", StringComparison.Ordinal), read.Detail);
        }, TimeSpan.FromMinutes(2), cancellationToken));

        var startedAfter = await PostmasterStartAsync(primaryShell, cancellationToken);
        _checks.Add(new CheckResult("adding the replica did not restart the primary (pg_postmaster_start_time unchanged)",
            startedBefore is not null && startedBefore == startedAfter, $"before {startedBefore ?? "unknown"}, after {startedAfter ?? "unknown"}"));
    }

    private static async Task<string?> PostmasterStartAsync(GuestShell shell, CancellationToken cancellationToken)
    {
        var started = await shell.RunAsync("sudo -u postgres psql -AtXc 'SELECT pg_postmaster_start_time()'", cancellationToken, TimeSpan.FromMinutes(1));
        return started.Succeeded && started.StandardOutput.Trim() is { Length: > 0 } text ? text : null;
    }

    /// <summary>Runs <paramref name="spec"/>; null when it ran past its timeout (the runner stopped it).</summary>
    private async Task<ProcessResult?> TryRunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        try
        {
            return await runner.RunAsync(spec, cancellationToken);
        }
        catch (ToolException e) when (e.TimedOut)
        {
            return null;
        }
    }

    private static Task<CheckResult> RetryAsync(Func<Task<CheckResult>> check, TimeSpan wait, CancellationToken cancellationToken) =>
        CheckRetry.UntilPassedAsync(check, wait, TimeSpan.FromSeconds(5), cancellationToken);

    private static string Squash(string text) => CheckRetry.Squash(text);
}
