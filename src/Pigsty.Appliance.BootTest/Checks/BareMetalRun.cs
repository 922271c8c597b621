using System.Globalization;
using System.Security.Cryptography;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Imaging.Seeds;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// The bare-metal runs: the installer ISO booted as a CD on a machine with an empty 32 GiB disk, a 4 GiB disk that must not be
/// chosen and a seed volume with static addressing (UEFI and BIOS); after the install's reboot the machine boots from its disk
/// alone and PostgreSQL takes a write through 5433. A third run has two equal disks and no rule: the installer must stop and say so.
/// </summary>
internal sealed class BareMetalRun(IProcessRunner runner, QemuRunner qemu, BootTester tester, string iso, string work, string inventory, string key, TimeSpan deadline)
{
    public static readonly IReadOnlyList<string> Names = ["bare-metal-uefi", "bare-metal-bios", "bare-metal-choice"];

    private const long Target = 32L << 30;

    /// <summary>The installer ISO beside the image (<c>.img</c> → <c>.iso</c>).</summary>
    public static string IsoOf(string image) => Path.ChangeExtension(image, ".iso");

    public Task<BootTestRun> RunAsync(string name, CancellationToken cancellationToken) => name switch
    {
        "bare-metal-choice" => ChoiceAsync(cancellationToken),
        _ => InstallAsync(name, name == "bare-metal-bios" ? Firmware.Bios : Firmware.Uefi, cancellationToken),
    };

    private async Task<BootTestRun> InstallAsync(string name, Firmware firmware, CancellationToken cancellationToken)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var target = Disk($"{name}.target.raw", Target);
        var small = Disk($"{name}.small.raw", 4L << 30);
        var seed = await SeedAsync(name, NoCloudRun.WithMetaPassword(await File.ReadAllTextAsync(inventory, cancellationToken), password), cancellationToken);

        var (installed, installSeconds, console) = await InstallerBootAsync(name, firmware, [target, small], seed, cancellationToken);
        var checks = new List<CheckResult>
        {
            new("the installer wrote the image and rebooted", installed is not null && installed.Contains(InstallMedium.InstalledLine, StringComparison.Ordinal),
                installed ?? $"no '{InstallMedium.InstalledLine}' line; last lines: {string.Join(" | ", console.TakeLast(5))}"),
            new("the installer chose the 32 GiB disk", installed?.Contains("/dev/vda", StringComparison.Ordinal) == true, installed ?? "not installed"),
            await UntouchedAsync("the 4 GiB disk is still empty", small, cancellationToken),
            await RecordedAsync(seed, cancellationToken),
        };
        if (installed?.Contains(InstallMedium.InstalledLine, StringComparison.Ordinal) != true)
        {
            return new BootTestRun(name, firmware.ToString().ToLowerInvariant(), "", false, new Dictionary<string, double>(), null, checks,
                Path.Combine(work, $"{name}.installer.serial.log"));
        }

        // The server's next power-on: its disk alone, no CD, no seed volume.
        var run = await tester.RunAsync(name, new BootTestOptions(target, firmware, work) { Deadline = deadline, DiskSizeBytes = Target }, async (_, guest, result, token) =>
        [
            GuestChecks.InstallDone(result),
            Carried(guest),
            await StaticAsync(guest, token),
            await PostgresChecks.WriteReadAsync(guest, 5433, "dbuser_meta", password, name.Replace('-', '_'), token),
        ], cancellationToken);
        return run with
        {
            Checks = [.. checks, .. run.Checks],
            Passed = run.Passed && checks.All(c => c.Passed),
            Figures = new Dictionary<string, double>
            {
                ["installer_power_on_to_reboot_s"] = Math.Round(installSeconds, 1),
                ["disk_power_on_to_done_s"] = run.Phases.TryGetValue("done", out var done) ? done : -1,
            },
        };
    }

    private async Task<BootTestRun> ChoiceAsync(CancellationToken cancellationToken)
    {
        const string Name = "bare-metal-choice";
        var first = Disk($"{Name}.a.raw", Target);
        var second = Disk($"{Name}.b.raw", Target);
        var seed = await SeedAsync(Name, await File.ReadAllTextAsync(inventory, cancellationToken), cancellationToken);

        var (line, _, console) = await InstallerBootAsync(Name, Firmware.Uefi, [first, second], seed, cancellationToken);
        var written = await SeedVolume.ReadAsync(runner, seed, InstallMedium.ErrorWriteBack, cancellationToken);
        List<CheckResult> checks =
        [
            new("the installer stops with the several-candidates message", line is not null && line.Contains(InstallMedium.FailedLine, StringComparison.Ordinal)
                && line.Contains("several candidate disks", StringComparison.Ordinal), line ?? $"no '{InstallMedium.FailedLine}' line; last lines: {string.Join(" | ", console.TakeLast(5))}"),
            new("the message is on the seed volume too", written?.Contains("several candidate disks", StringComparison.Ordinal) == true,
                written is null ? $"no {InstallMedium.ErrorWriteBack} on the seed volume" : written.Trim()),
            await UntouchedAsync("the first disk is still empty", first, cancellationToken),
            await UntouchedAsync("the second disk is still empty", second, cancellationToken),
        ];
        return new BootTestRun(Name, "uefi", "", checks.All(c => c.Passed), new Dictionary<string, double>(), line, checks,
            Path.Combine(work, $"{Name}.installer.serial.log"));
    }

    /// <summary>Boots the ISO with <paramref name="disks"/> (the first before the CD in the boot order) and the seed; returns the installer's last word.</summary>
    private async Task<(string? Line, double Seconds, IReadOnlyList<string> Console)> InstallerBootAsync(string name, Firmware firmware, IReadOnlyList<string> disks,
        string seed, CancellationToken cancellationToken)
    {
        if (!File.Exists(iso))
        {
            throw new Core.Errors.InputException(iso, "no installer ISO beside the image; build it: ./build.sh --target=Iso");
        }

        await using var vm = await qemu.StartAsync(new QemuBootOptions(disks[0], firmware)
        {
            ImageWritable = true,
            MemoryMiB = 2048,
            Cpus = 2,
            Cdrom = iso,
            ExtraDrives = [.. disks.Skip(1).Select(d => new QemuDrive(d, "raw", Writable: true)), new QemuDrive(seed, "raw", Writable: true)],
            SerialLogPath = Path.Combine(work, $"{name}.installer.serial.log"),
        }, cancellationToken);
        var line = await vm.WaitForLineAsync(l => l.Contains(InstallMedium.InstalledLine, StringComparison.Ordinal)
            || l.Contains(InstallMedium.FailedLine, StringComparison.Ordinal), TimeSpan.FromMinutes(30), cancellationToken);
        // -no-reboot: the installer's reboot ends QEMU. A failure leaves the live system waiting once the installer has exited (its
        // write-back to the seed volume done), and the test powers it off then.
        if (line is not null && line.Text.Contains(InstallMedium.FailedLine, StringComparison.Ordinal))
        {
            await vm.WaitForLineAsync(l => l.Contains(InstallMedium.StoppedLine, StringComparison.Ordinal), TimeSpan.FromMinutes(2), cancellationToken);
        }

        for (var waited = 0; line is not null && line.Text.Contains(InstallMedium.InstalledLine, StringComparison.Ordinal) && !vm.HasExited && waited < 120; waited++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        var seconds = vm.Elapsed.TotalSeconds;
        await vm.StopAsync();
        return (line?.Text, seconds, vm.Lines.Select(l => l.Text).ToList());
    }

    /// <summary>The inventory with the installer's keys (unattended) on a FAT seed volume beside a static network-config.</summary>
    private async Task<string> SeedAsync(string name, string text, CancellationToken cancellationToken)
    {
        var marker = "\n  vars:\n";
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"the seed {inventory} has no all.vars block to add install_unattended to");
        }

        var yml = Path.Combine(work, $"{name}-seed.yml");
        await File.WriteAllTextAsync(yml, text.Insert(at + marker.Length, "    install_unattended: true\n"), cancellationToken);
        var network = Path.Combine(work, $"{name}-network-config");
        await File.WriteAllTextAsync(network, NoCloudRun.NetworkConfig, cancellationToken);
        var volume = Path.Combine(work, $"{name}.seed.img");
        await SeedVolume.CreateAsync(runner, yml, volume, SeedMedia.DefaultLabel, cancellationToken, [new FatFile(SeedMedia.NetworkConfig, Path.GetFullPath(network))]);
        return volume;
    }

    /// <summary>An empty sparse disk: any write the guest makes to it allocates blocks.</summary>
    private string Disk(string name, long bytes)
    {
        Directory.CreateDirectory(work);
        var path = Path.Combine(work, name);
        File.Delete(path);
        using var file = File.Create(path);
        file.SetLength(bytes);
        return path;
    }

    private async Task<CheckResult> UntouchedAsync(string check, string disk, CancellationToken cancellationToken)
    {
        var allocated = long.Parse((await runner.RunAsync(ProcessSpec.Of("du", "--block-size=1", disk), cancellationToken)).StandardOutput.Split('\t')[0],
            CultureInfo.InvariantCulture);
        return new CheckResult(check, allocated == 0, $"{Path.GetFileName(disk)}: {allocated} bytes written");
    }

    /// <summary>The seed volume says the install is done: the ISO booted again with it stops instead of erasing the disk again.</summary>
    private async Task<CheckResult> RecordedAsync(string seed, CancellationToken cancellationToken)
    {
        var done = await SeedVolume.ReadAsync(runner, seed, InstallMedium.DoneWriteBack, cancellationToken);
        return new CheckResult("the seed volume records the install", done is not null, done?.Trim() ?? $"no {InstallMedium.DoneWriteBack} on the seed volume");
    }

    /// <summary>The installed server took the static address of the seed's network-config (carried with it), not DHCP's.</summary>
    private async Task<CheckResult> StaticAsync(BootedGuest guest, CancellationToken cancellationToken)
    {
        using var shell = new GuestShell(key, guest.Port(22), "dba");
        var file = await shell.RunAsync($"sudo cat {NodeLayout.StaticNetwork}", cancellationToken);
        var expected = $"Address={BootTestSeed.GuestAddress}/24";
        return new CheckResult($"the static address from the seed's network-config ({NodeLayout.StaticNetwork})",
            file.Succeeded && file.StandardOutput.Contains(expected, StringComparison.Ordinal),
            file.Succeeded ? string.Join(" | ", file.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Contains('=', StringComparison.Ordinal)))
                : $"exit {file.ExitCode}: {file.StandardError.Trim()}");
    }

    private static CheckResult Carried(BootedGuest guest)
    {
        var line = guest.Vm.Lines.Select(l => l.Text).FirstOrDefault(l => l.Contains("seed carried by the installer medium", StringComparison.Ordinal)
            || l.Contains("carried onto this disk", StringComparison.Ordinal));
        return new CheckResult("first boot took the seed the installer carried onto the disk", line is not null, line ?? "no console line names the carried seed");
    }
}
