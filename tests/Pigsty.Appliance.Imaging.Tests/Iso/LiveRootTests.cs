using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Imaging.Iso;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Iso;

/// <summary>The live system's /init as dash (its /bin/sh) reads it.</summary>
public sealed class LiveRootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_init_script_parses_runs_the_installer_and_reboots_only_after_it_succeeded()
    {
        var script = _temp.Write("init", LiveRoot.InitScript);

        var check = await HostTools.TryRunAsync("sh", "-n", script);

        Assert.True(check.ExitCode == 0, check.StandardError);
        var lines = LiveRoot.InitScript.Split('\n');
        var install = Array.FindIndex(lines, l => l.Contains($"{NodeLayout.Installer} install-disk", StringComparison.Ordinal));
        var reboot = Array.FindIndex(lines, l => l.Contains("/proc/sysrq-trigger", StringComparison.Ordinal));
        var success = Array.FindIndex(lines, l => l.Contains("if [ \"$status\" = 0 ]", StringComparison.Ordinal));
        Assert.True(install >= 0 && success > install && reboot > success, LiveRoot.InitScript);
        Assert.Contains(InstallMedium.StoppedLine, lines[^3], StringComparison.Ordinal);
    }

    [Fact]
    public void The_live_root_takes_its_release_s_openssl_and_kernel()
    {
        var bookworm = LiveRoot.PackagesOn(TargetPlatform.Debian12);
        var trixie = LiveRoot.PackagesOn(TargetPlatform.Debian13);

        // trixie's 64-bit time_t transition renamed the library; libssl3 is not in a trixie bundle at all.
        Assert.Contains("libssl3", bookworm);
        Assert.Contains("libssl3t64", trixie);
        Assert.DoesNotContain("libssl3", trixie);
        Assert.All(new[] { bookworm, trixie }, p => Assert.Contains("linux-image-amd64", p));
    }

    [Fact]
    public void A_kept_module_keeps_what_it_depends_on_outside_the_kept_directories_and_the_rest_goes()
    {
        string[] dep =
        [
            "kernel/drivers/scsi/sd_mod.ko: kernel/block/t10-pi.ko kernel/lib/crc64-rocksoft.ko kernel/lib/crc64.ko",
            "kernel/block/t10-pi.ko: kernel/lib/crc64-rocksoft.ko kernel/lib/crc64.ko",
            "kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko: kernel/drivers/ptp/ptp.ko",
            "kernel/fs/isofs/isofs.ko:",
            "kernel/sound/core/snd.ko: kernel/sound/soundcore.ko",
        ];

        var kept = LiveRoot.Kept(dep);

        Assert.Equal(["kernel/block/t10-pi.ko", "kernel/drivers/scsi/sd_mod.ko", "kernel/fs/isofs/isofs.ko", "kernel/lib/crc64-rocksoft.ko", "kernel/lib/crc64.ko"],
            kept.Order(StringComparer.Ordinal));
    }
}
