using System.Diagnostics;
using System.Globalization;
using System.Net;
using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// <c>ha</c>: three VMs (1 vCPU, 2 GiB, UEFI) from overlays of the same image, each with its seed volume from <c>pigsty-appliance site</c>,
/// booted together on a bridge in a network namespace of this run (no DHCP anywhere, SSH and SQL from inside the namespace).
/// Checks the cluster that forms, fails the primary over twice under a write load (asynchronous, then synchronous replication)
/// and powers each killed VM back on to rejoin.
/// </summary>
internal sealed class HaRun(IProcessRunner runner, BootTester tester, string image, string work, string cli, string key, string publicKey, TimeSpan deadline)
{
    /// <summary>The RTO the issue allows with Pigsty's default pg_rto.</summary>
    public static readonly TimeSpan RtoLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long one patronictl may take on a loaded one-vCPU TCG guest.</summary>
    private static readonly TimeSpan PatronictlTimeout = TimeSpan.FromMinutes(3);

    private const int ServicePort = 5433;
    private const int ReplicaPort = 5434;
    private readonly List<CheckResult> _checks = [];
    private readonly Dictionary<string, double> _figures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _phases = new(StringComparer.Ordinal);

    /// <summary>One SSH connection per node, kept between checks; a killed node's is dropped with it.</summary>
    private readonly Dictionary<IPAddress, GuestShell> _shells = [];

    public async Task<BootTestRun> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var site = HaSite.Create(publicKey);
        var siteDirectory = Path.Combine(work, "ha-site");
        var seeds = await SiteAsync(site, siteDirectory, cancellationToken);
        var accelerator = "";
        string? result = null;
        if (seeds is not null)
        {
            var before = await HostInterfaces.SnapshotAsync(runner, cancellationToken);
            var network = await TestNetwork.CreateAsync(runner, HaSite.BridgeAddress, HaSite.Hosts.Count, cancellationToken);
            var nodes = new List<HaNode>();
            try
            {
                for (var i = 0; i < HaSite.Hosts.Count; i++)
                {
                    var host = HaSite.Hosts[i];
                    var session = await tester.SessionAsync(SessionName(host), new BootTestOptions(image, Firmware.Uefi, work)
                    {
                        Seed = seeds[i], Cpus = 1, MemoryMiB = 2048, GuestPorts = [], Deadline = deadline,
                        Tap = TestNetwork.Tap(i, host), NetworkNamespace = network.Name,
                    }, cancellationToken);
                    nodes.Add(new HaNode(host, session));
                }

                foreach (var node in nodes)
                {
                    await node.PowerOnAsync(cancellationToken);
                }

                accelerator = nodes[0].Vm!.Accelerator.ToString().ToLowerInvariant();
                result = await FirstBootAsync(nodes, cancellationToken);
                _checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "while the guests run"));
                if (result is null)
                {
                    await ClusterAsync(new HaClient(runner, network, site.MetaPassword), nodes, network, cancellationToken);
                }
            }
            finally
            {
                foreach (var node in nodes)
                {
                    await node.PowerOffAsync();
                }

                await network.DisposeAsync();
            }

            _checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "after the run"));
        }

        _figures["scenario_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        return new BootTestRun("ha", "uefi", accelerator, _checks.All(c => c.Passed || c.Skipped) && _checks.Count > 0, _phases,
            seeds is null ? "no seed volumes: nothing booted" : result ?? "every node finished first boot", [.. _checks], Path.Combine(work, SessionName(HaSite.Hosts[0]) + ".serial.log"))
        {
            Figures = _figures,
        };
    }

    private static string SessionName(IPAddress host) => $"ha-{host}";

    /// <summary>Writes the inventory (0600: it holds passwords) and runs the site command; the seed volumes in inventory order, or null.</summary>
    private async Task<IReadOnlyList<string>?> SiteAsync(HaSite site, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var inventory = Path.Combine(work, "ha-inventory.yml");
        File.Delete(inventory);
        await using (var file = new FileStream(inventory, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        await using (var writer = new StreamWriter(file, new System.Text.UTF8Encoding(false)))
        {
            await writer.WriteAsync(site.Inventory());
        }

        var command = HaSite.SiteCommand(cli, inventory, directory) with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(5) };
        var ran = File.Exists(cli) ? await runner.RunAsync(command, cancellationToken) : null;
        var seeds = HaSite.Hosts.Select(h => HaSite.SeedOf(directory, h)).ToList();
        var missing = seeds.Where(s => !File.Exists(s)).ToList();
        var ok = ran is { Succeeded: true } && missing.Count == 0;
        _checks.Add(new CheckResult("pigsty-appliance site writes one seed volume per node", ok,
            ran is null ? $"{cli} does not exist (the BootTest target publishes it)"
            : !ran.Succeeded ? $"{command.Display()} exited with code {ran.ExitCode}: {Squash(ran.StandardError)}"
            : missing.Count > 0 ? $"missing: {string.Join(", ", missing)}"
            : $"{string.Join(", ", seeds.Select(Path.GetFileName))} in {directory}"));
        return ok ? seeds : null;
    }

    /// <summary>Waits for every node's first boot; null when all finished, else what went wrong.</summary>
    private async Task<string?> FirstBootAsync(IReadOnlyList<HaNode> nodes, CancellationToken cancellationToken)
    {
        var lines = await Task.WhenAll(nodes.Select(n => BootTester.WaitAsync(n.Vm!, ["done", "failed"], deadline, cancellationToken)));
        var problems = new List<string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var host = nodes[i].Host;
            foreach (var (phase, seconds) in BootTester.Phases(nodes[i].Vm!))
            {
                _phases[$"{host} {phase}"] = seconds;
            }

            var console = nodes[i].Vm!.Lines;
            var start = console.FirstOrDefault(l => FirstBootMilestone.Of(l.Text) == "firstboot-start");
            var done = console.FirstOrDefault(l => FirstBootMilestone.Of(l.Text) == "done");
            if (start is not null && done is not null)
            {
                _figures[$"first_boot_{host}"] = Math.Round((done.Elapsed - start.Elapsed).TotalSeconds, 1);
            }

            var check = GuestChecks.InstallDone(lines[i]?.Text);
            _checks.Add(check with { Name = $"{host}: {check.Name}" });
            if (!check.Passed)
            {
                problems.Add($"{host}: {lines[i]?.Text ?? "no result before the deadline"}");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary>The formed cluster's checks, then the two failovers and rejoins.</summary>
    private async Task ClusterAsync(HaClient client, IReadOnlyList<HaNode> nodes, TestNetwork network, CancellationToken cancellationToken)
    {
        try
        {
            await ClusterAsync(client, nodes, host => _shells.TryGetValue(host, out var open) ? open
                : _shells[host] = new GuestShell(key, 22, "dba", host.ToString(), network.Name), cancellationToken);
        }
        finally
        {
            foreach (var shell in _shells.Values)
            {
                shell.Dispose();
            }

            _shells.Clear();
        }
    }

    private async Task ClusterAsync(HaClient client, IReadOnlyList<HaNode> nodes, Func<IPAddress, GuestShell> shell, CancellationToken cancellationToken)
    {
        await SnapshotAsync(nodes, shell, "formed", cancellationToken);
        _checks.Add(await RetryAsync(async () =>
        {
            var etcd = await shell(nodes[0].Host).RunAsync(EtcdHealth.Command(nodes[0].Host), cancellationToken, TimeSpan.FromMinutes(1));
            return EtcdHealth.Judge(etcd.Succeeded, etcd.StandardOutput + etcd.StandardError, HaSite.Hosts);
        }, TimeSpan.FromMinutes(3), cancellationToken));

        var (listed, members) = await PatroniAsync(shell, nodes, 3, TimeSpan.FromMinutes(10), cancellationToken);
        _checks.Add(listed with { Name = "patronictl list: one leader and two replicas streaming with lag 0" });
        if (members?.FirstOrDefault(m => m.IsLeader) is not { } leader)
        {
            return;
        }

        var streaming = await shell(IPAddress.Parse(leader.Host)).RunAsync(
            "sudo -u postgres psql -AtXc \"SELECT count(*) FILTER (WHERE state = 'streaming') || ' of ' || count(*) FROM pg_stat_replication\"", cancellationToken, TimeSpan.FromMinutes(1));
        _checks.Add(new CheckResult("the leader's pg_stat_replication shows two streaming replicas", streaming.Succeeded && streaming.StandardOutput.Trim() == "2 of 2",
            $"{leader.Member}: {Squash(streaming.StandardOutput + streaming.StandardError)} streaming"));

        var marker = "ha-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var target in new[] { HaSite.Vip }.Concat(HaSite.Hosts))
        {
            var write = await RetryAsync(async () =>
            {
                var wrote = await client.WriteAsync(target, ServicePort, marker, cancellationToken);
                return new CheckResult($"{target}:{ServicePort}{(target.Equals(HaSite.Vip) ? " (the VIP)" : "")} accepts writes as {HaSite.User}", wrote.Ok, wrote.Detail);
            }, TimeSpan.FromMinutes(2), cancellationToken);
            _checks.Add(write);
        }

        var expected = 1 + HaSite.Hosts.Count;
        _checks.Add(await RetryAsync(async () =>
        {
            var read = await client.ReadAsync(HaSite.Vip, ReplicaPort, marker, cancellationToken);
            return new CheckResult($"a replica read through {HaSite.Vip}:{ReplicaPort} sees the {expected} rows", read.Ok && read.Count == expected && read.Detail.Contains("a replica", StringComparison.Ordinal), read.Detail);
        }, TimeSpan.FromMinutes(1), cancellationToken));

        // Targets come up one scrape at a time, and the HA site scrapes every 30 s.
        _checks.Add(await RetryAsync(async () =>
        {
            var up = await shell(HaSite.Infra).RunAsync(ScrapeCoverage.Command, cancellationToken, TimeSpan.FromMinutes(1));
            return ScrapeCoverage.Judge(up.Succeeded, up.Succeeded ? up.StandardOutput : up.StandardOutput + up.StandardError, HaSite.Hosts);
        }, TimeSpan.FromMinutes(3), cancellationToken));

        var killed = await FailoverAsync(client, shell, nodes, "async", leader, synchronous: false, cancellationToken);
        if (killed is null)
        {
            return;
        }

        if (!await RejoinAsync(shell, nodes, killed, "async", cancellationToken))
        {
            return;
        }

        var (_, now) = await PatroniAsync(shell, nodes, 3, TimeSpan.FromMinutes(1), cancellationToken);
        if (now?.FirstOrDefault(m => m.IsLeader) is not { } second)
        {
            return;
        }

        // Synchronous mode switched on at run time through Patroni: the runtime equivalent of pg_rpo: 0 (which renders synchronous_mode: true).
        var set = await shell(IPAddress.Parse(second.Host)).RunAsync(
            $"sudo -u postgres patronictl -c {PgsqlSettings.PatroniConfigPath} edit-config --set synchronous_mode=true --force", cancellationToken, TimeSpan.FromMinutes(1));
        var sync = await RetryAsync(async () =>
        {
            var list = await shell(IPAddress.Parse(second.Host)).RunAsync(PatroniList.Command, cancellationToken, PatronictlTimeout);
            var parsed = PatroniList.Parse(list.StandardOutput);
            var standby = parsed?.FirstOrDefault(m => m.Role == "Sync Standby");
            return new CheckResult("synchronous mode on at run time (patronictl edit-config --set synchronous_mode=true: the runtime equivalent of pg_rpo: 0)",
                set.Succeeded && standby is not null,
                set.Succeeded ? $"{(standby is null ? "no Sync Standby yet" : $"{standby.Member} is the Sync Standby")}: {PatroniList.Describe(parsed ?? [])}" : Squash(set.StandardError));
        }, TimeSpan.FromMinutes(2), cancellationToken);
        _checks.Add(sync);
        if (!sync.Passed)
        {
            return;
        }

        killed = await FailoverAsync(client, shell, nodes, "sync", second, synchronous: true, cancellationToken);
        if (killed is not null)
        {
            await RejoinAsync(shell, nodes, killed, "sync", cancellationToken);
        }
    }

    /// <summary>
    /// A steady write load through the VIP, the leader's QEMU killed with SIGKILL once it runs, the load kept until commits come back
    /// (bounded), then RTO and the acknowledged commits the new primary lacks. Returns the killed node, or null when the cluster did not recover.
    /// </summary>
    private async Task<HaNode?> FailoverAsync(HaClient client, Func<IPAddress, GuestShell> shell, IReadOnlyList<HaNode> nodes, string label, PatroniMember leader,
        bool synchronous, CancellationToken cancellationToken)
    {
        var victim = nodes.Single(n => n.Host.ToString() == leader.Host);
        var run = $"{label}-{Guid.NewGuid():N}"[..16];
        var load = client.StartLoad(HaSite.Vip, ServicePort, run, maxCommits: 50_000, maxDuration: TimeSpan.FromMinutes(5), cancellationToken);
        DateTime killedAt;
        var etcdLeader = "unknown";
        IReadOnlyList<AcknowledgedCommit> commits;
        try
        {
            if (!await load.WaitAsync(c => c.Count >= 30, TimeSpan.FromMinutes(2), cancellationToken))
            {
                _checks.Add(new CheckResult($"failover ({label}): the write load runs through the VIP", false, $"{load.Commits.Count} commits acknowledged in 2 minutes"));
                return null;
            }

            // Which node leads etcd matters: a new etcd leader renews every lease, the dead primary's leader key with them.
            var asked = nodes.First(n => n != victim).Host;
            var status = await shell(asked).RunAsync(EtcdHealth.Command(asked), cancellationToken, TimeSpan.FromSeconds(30));
            etcdLeader = EtcdHealth.Leader(status.StandardOutput) ?? "unknown";

            // The moment after the signal: a commit acknowledged while it was being sent came from the old primary and counts as before.
            killedAt = await victim.KillAsync();
            if (_shells.Remove(victim.Host, out var gone))
            {
                gone.Dispose();
            }

            // Bounded: twice the allowed RTO and more for the first commits after the kill, then the load stops.
            await load.WaitAsync(c => c.Count(x => x.At > killedAt) >= 20, TimeSpan.FromMinutes(3), cancellationToken);
        }
        finally
        {
            await load.StopAsync();
        }

        commits = load.Commits;
        var survivors = nodes.Where(n => n != victim).ToList();
        var (_, members) = await PatroniAsync(shell, survivors, 2, TimeSpan.FromMinutes(2), cancellationToken);
        var newLeader = members?.FirstOrDefault(m => m.IsLeader);
        IReadOnlySet<long> present = new HashSet<long>();
        string? presentError = null;
        try
        {
            present = await client.PresentAsync(HaSite.Vip, ServicePort, run, cancellationToken);
        }
        catch (Exception e) when (e is Core.Errors.ApplianceException or System.Text.Json.JsonException or IndexOutOfRangeException)
        {
            presentError = e.Message;
        }

        var figures = FailoverFigures.Of(commits, killedAt, present);
        await File.WriteAllLinesAsync(Path.Combine(work, $"ha-failover-{label}.load.jsonl"),
            [$"{{\"killed_at\":\"{killedAt:O}\",\"killed\":\"{leader.Member}\"}}", .. load.Lines], cancellationToken);
        var trace = newLeader is null ? "" : "; " + await TraceAsync(shell(IPAddress.Parse(newLeader.Host)), newLeader.Member, label, killedAt, cancellationToken);
        var attempts = FailedAttempt.Describe(load.Failures, killedAt);
        _figures[$"rto_{label}_seconds"] = figures.RtoSeconds ?? -1;
        _figures[$"lost_{label}"] = figures.Lost.Count;
        _figures[$"acknowledged_{label}"] = figures.Acknowledged;
        var model = RtoModel.Of(PgRto.Parse(null));
        _figures[$"rto_{label}_model_average_seconds"] = model.Average;
        _figures[$"rto_{label}_model_worst_seconds"] = model.Worst;
        var where = $"killed {leader.Member} ({leader.Host}; etcd leader then: {etcdLeader}); new leader {newLeader?.Member ?? "none"}";
        _checks.Add(new CheckResult($"failover ({label}): RTO ≤ {RtoLimit.TotalSeconds:0} s", figures.RtoSeconds is { } rto && rto <= RtoLimit.TotalSeconds,
            $"{where}; {figures.Describe()}; {model.Describe()}{trace}; {attempts}"));
        if (synchronous)
        {
            _checks.Add(new CheckResult($"failover ({label}): no acknowledged commit lost", presentError is null && figures.Acknowledged > 0 && figures.Lost.Count == 0,
                presentError ?? figures.Describe()));
        }

        return newLeader is null || newLeader.Host == leader.Host ? null : victim;
    }

    /// <summary>The new leader's journal around the failover, kept as an artifact; its milestones become figures and one phrase.</summary>
    private async Task<string> TraceAsync(GuestShell leader, string member, string label, DateTime killedAt, CancellationToken cancellationToken)
    {
        var journal = await leader.RunAsync(FailoverTrace.Command(killedAt.AddMinutes(-1)), cancellationToken, TimeSpan.FromMinutes(1));
        await File.WriteAllTextAsync(Path.Combine(work, $"ha-failover-{label}.journal.log"), journal.StandardOutput + journal.StandardError, cancellationToken);
        var trace = FailoverTrace.Parse(journal.StandardOutput, member);
        foreach (var (name, seconds) in trace.After(killedAt))
        {
            _figures[$"failover_{label}_{name}_seconds"] = seconds;
        }

        return trace.Describe(killedAt);
    }

    /// <summary>Load average and the busiest processes of each node, kept as artifacts (a one-vCPU TCG guest runs near its limit).</summary>
    private async Task SnapshotAsync(IReadOnlyList<HaNode> nodes, Func<IPAddress, GuestShell> shell, string when, CancellationToken cancellationToken)
    {
        foreach (var node in nodes.Where(n => n.Vm is not null))
        {
            var top = await shell(node.Host).RunAsync("cat /proc/loadavg; top -b -n 1 -w 180 | head -n 30", cancellationToken, TimeSpan.FromMinutes(1));
            await File.WriteAllTextAsync(Path.Combine(work, $"ha-{node.Host}.{when}.top.txt"), top.StandardOutput + top.StandardError, cancellationToken);
            var first = top.StandardOutput.Split(' ', 2)[0];
            if (top.Succeeded && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load))
            {
                _figures[$"load1_{when}_{node.Host}"] = load;
            }
        }
    }

    /// <summary>Powers the killed VM on again (same disk, same seed) and waits for three members with it as a replica.</summary>
    private async Task<bool> RejoinAsync(Func<IPAddress, GuestShell> shell, IReadOnlyList<HaNode> nodes, HaNode killed, string label, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var vm = await killed.PowerOnAsync(cancellationToken);
        var login = await vm.WaitForPhaseAsync(BootPhase.Login, TimeSpan.FromMinutes(10), cancellationToken);
        var (listed, members) = await PatroniAsync(shell, nodes.Where(n => n != killed).ToList(), 3, TimeSpan.FromMinutes(10), cancellationToken);
        var back = members?.FirstOrDefault(m => m.Host == killed.Host.ToString());
        var ok = login is not null && listed.Passed && back is { IsLeader: false };
        _figures[$"rejoin_{label}_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        _checks.Add(new CheckResult($"rejoin ({label}): {killed.Host} powered on again is a replica, patronictl list shows three members", ok,
            string.Create(CultureInfo.InvariantCulture, $"login {(login is null ? "never" : $"{login.Elapsed.TotalSeconds:0} s")} after power-on, {clock.Elapsed.TotalSeconds:0} s to rejoin; {listed.Detail}")));
        return ok;
    }

    /// <summary>patronictl list on the first node that answers, until it shows <paramref name="count"/> healthy members or the wait ends.</summary>
    private async Task<(CheckResult Check, IReadOnlyList<PatroniMember>? Members)> PatroniAsync(Func<IPAddress, GuestShell> shell, IReadOnlyList<HaNode> nodes, int count,
        TimeSpan wait, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + wait;
        while (true)
        {
            CheckResult? check = null;
            IReadOnlyList<PatroniMember>? members = null;
            foreach (var node in nodes.Where(n => n.Vm is not null))
            {
                // patronictl is a Python program: in HA run 6 it did not start and answer within 45 s on any node for five minutes.
                var list = await shell(node.Host).RunAsync(PatroniList.Command, cancellationToken, PatronictlTimeout);
                check = PatroniList.Judge("patronictl list", list.Succeeded, list.StandardOutput + (list.Succeeded ? "" : list.StandardError), count);
                members = PatroniList.Parse(list.StandardOutput);
                if (check.Passed)
                {
                    return (check, members);
                }
            }

            if (DateTime.UtcNow > until)
            {
                return (check ?? new CheckResult("patronictl list", false, "no node is running"), members);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    private static Task<CheckResult> RetryAsync(Func<Task<CheckResult>> check, TimeSpan wait, CancellationToken cancellationToken) =>
        CheckRetry.UntilPassedAsync(check, wait, TimeSpan.FromSeconds(5), cancellationToken);

    private static string Squash(string text) => CheckRetry.Squash(text);
}
