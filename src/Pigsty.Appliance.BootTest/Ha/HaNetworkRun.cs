using System.Diagnostics;
using System.Globalization;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// <c>ha-network</c>: the HA run's plumbing on its own, in minutes: two VMs of the image (overlays, no seed) on the test's bridge in
/// a namespace of their own, each to its login prompt; the bridge learns both guests' MACs; the host's interfaces stay as they were;
/// nothing of the network is left afterwards.
/// </summary>
internal static class HaNetworkRun
{
    public static async Task<BootTestRun> RunAsync(IProcessRunner runner, BootTester tester, string image, string work, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var checks = new List<CheckResult>();
        var phases = new Dictionary<string, double>(StringComparer.Ordinal);
        var before = await HostInterfaces.SnapshotAsync(runner, cancellationToken);
        string name;
        var accelerator = "";
        var logins = new List<ConsoleLine?>();
        var vms = new List<QemuVm>();
        var network = await TestNetwork.CreateAsync(runner, HaSite.BridgeAddress, 2, cancellationToken);
        phases["network_created"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        try
        {
            name = network.Name;
            var taps = HaSite.Hosts.Take(2).Select((h, i) => TestNetwork.Tap(i, h)).ToList();
            var sessions = new List<BootSession>();
            for (var i = 0; i < taps.Count; i++)
            {
                sessions.Add(await tester.SessionAsync($"ha-network-{i + 1}", new BootTestOptions(image, Firmware.Uefi, work)
                {
                    Cpus = 1, MemoryMiB = 2048, GuestPorts = [], Tap = taps[i], NetworkNamespace = network.Name,
                }, cancellationToken));
            }

            foreach (var session in sessions)
            {
                vms.Add(await session.BootAsync(cancellationToken));
            }

            accelerator = vms[0].Accelerator.ToString().ToLowerInvariant();
            logins.AddRange(await Task.WhenAll(vms.Select(vm => vm.WaitForPhaseAsync(BootPhase.Login, TimeSpan.FromMinutes(10), cancellationToken))));
            for (var i = 0; i < vms.Count; i++)
            {
                if (logins[i] is { } login)
                {
                    phases[string.Create(CultureInfo.InvariantCulture, $"vm{i + 1}_login")] = Math.Round(login.Elapsed.TotalSeconds, 1);
                }
            }

            checks.Add(new CheckResult("both guests reach the login prompt with only a tap NIC, QEMU inside the namespace", logins.All(l => l is not null),
                string.Join("; ", logins.Select((l, i) => l is null ? $"VM {i + 1}: no login prompt within 10 minutes"
                    : string.Create(CultureInfo.InvariantCulture, $"VM {i + 1}: login {l.Elapsed.TotalSeconds:0.0} s after power-on")))));

            // A guest that boots sends frames of its own (DHCP discover, IPv6 router solicitation); the bridge learns its MAC from them.
            var wanted = taps.Select(t => t.Mac).ToList();
            IReadOnlyList<string> learnt = [];
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (!wanted.All((learnt = await network.LearnedMacsAsync(cancellationToken)).Contains) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }

            checks.Add(new CheckResult("the bridge learnt both guests' MACs (bridge fdb in the namespace)", wanted.All(learnt.Contains),
                $"expected {string.Join(", ", wanted)}; learnt {string.Join(", ", learnt)}"));
            checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "while the guests run"));

            // The failover's power cut: SIGKILL to the QEMU that ip netns exec became, found through its pid file.
            var signalled = await vms[0].KillAsync();
            var gone = DateTime.UtcNow - signalled;
            checks.Add(new CheckResult("a hard kill (SIGKILL) ends a VM inside the namespace at once", vms[0].HasExited && gone < TimeSpan.FromSeconds(3),
                string.Create(CultureInfo.InvariantCulture, $"QEMU gone {gone.TotalSeconds:0.00} s after the signal")));
        }
        finally
        {
            foreach (var vm in vms)
            {
                await vm.DisposeAsync();
            }

            await network.DisposeAsync();
        }

        phases["torn_down"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        var left = await runner.RunAsync(ProcessSpec.Of("ip", "netns", "list"), cancellationToken);
        checks.Add(new CheckResult("the namespace, its bridge and taps are gone after the run", !left.StandardOutput.Contains(name, StringComparison.Ordinal),
            left.StandardOutput.Contains(name, StringComparison.Ordinal) ? $"{name} is still listed" : $"{name} removed"));
        checks.Add(HostInterfaces.Compare(before, await HostInterfaces.SnapshotAsync(runner, cancellationToken), "after the run"));
        return new BootTestRun("ha-network", "uefi", accelerator, checks.All(c => c.Passed), phases, null, checks,
            Path.Combine(work, "ha-network-1.serial.log"));
    }
}
