using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Run;

/// <summary>A seed volume whose inventory fails validation: the run fails with the loader's error, and the volume gets the result.</summary>
public sealed class NodeInstallerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_invalid_seed_on_a_volume_gets_the_failure_written_back()
    {
        var inventory = _temp.Write("seed/pigsty.yml", """
            all:
              children:
                pg-meta: { hosts: { 10.10.10.10: { pg_seq: one, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
              vars: { admin_ip: 10.10.10.10 }
            """);

        var (error, machine, mounted) = await FailFromVolumeAsync();

        Assert.Equal($"{inventory}:3:48: all.children.pg-meta.hosts[10.10.10.10].pg_seq: expected an integer, got 'one'", error.Message);
        var written = await File.ReadAllTextAsync(_temp.File("seed/pigsty-status.json"));
        Assert.Contains("\"state\": \"failed\"", written, StringComparison.Ordinal);
        Assert.Contains("expected an integer, got 'one'", written, StringComparison.Ordinal);
        Assert.Contains(machine.Scripted.Calls, c => c.StartsWith("sync --file-system", StringComparison.Ordinal));

        // Read-only while read, writable for the write-back only, unmounted after.
        var device = _temp.File("by-label/PIGSTY");
        var mountPoint = _temp.File("seed");
        Assert.Equal(
        [
            $"blkid -o value -s TYPE {device}",
            $"mountpoint -q {mountPoint}",
            $"mount -t vfat -o ro,noexec,nodev,nosuid,umask=077 {device} {mountPoint}",
            $"mount -o remount,rw {mountPoint}",
            $"umount {mountPoint}",
        ], mounted.Calls);
    }

    [Fact]
    public async Task A_seed_nested_too_deep_fails_as_input_with_status_banner_and_write_back()
    {
        // The 41 KB file that overflowed the stack: first boot died before status, banner and write-back, on every boot.
        var inventory = _temp.Write("seed/pigsty.yml", "all:\n  vars:\n    x: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        var (error, machine, _) = await FailFromVolumeAsync();

        Assert.Equal(ExitCode.InvalidInput, error.ExitCode);
        Assert.StartsWith($"{inventory}:3:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"nested deeper than {YamlLimits.MaxDepth} levels", error.Message, StringComparison.Ordinal);
        var status = await File.ReadAllTextAsync(Path.Combine(_temp.File("root"), NodeLayout.StatusFile.TrimStart('/')));
        Assert.Contains("\"state\": \"failed\"", status, StringComparison.Ordinal);
        Assert.Contains("nested deeper than", await File.ReadAllTextAsync(_temp.File("seed/pigsty-status.json")), StringComparison.Ordinal);
        Assert.Contains("Install:     FAILED: ", await File.ReadAllTextAsync(Path.Combine(_temp.File("root"), NodeLayout.Issue.TrimStart('/'))), StringComparison.Ordinal);
        Assert.Contains(machine.Scripted.Calls, c => c.StartsWith("sync --file-system", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_that_fails_its_check_beside_the_run_fails_it_with_its_own_error_even_when_the_seed_fails_too()
    {
        // The check runs beside the seed and the plan; here the seed fails first, and the bundle's error still wins.
        _temp.Write("seed/pigsty.yml", "all:\n  vars: { admin_ip: not-an-address }\n");
        var machine = new FakeMachine(_temp.File("root"));
        var mounted = new ScriptedProcesses();
        mounted.On(spec => spec.FileName == "blkid", _ => ScriptedProcesses.Ok("vfat\n"));
        mounted.On(spec => spec.FileName == "mountpoint", _ => ScriptedProcesses.Fail(1, ""));
        var installer = FirstBootSetup.Installer(_temp, machine, mounted, bundle: new SlowCorruptBundle());

        var error = await Assert.ThrowsAsync<IntegrityException>(() => installer.RunAsync(new InstallOptions(null, null, false, VerifyBundle: true), CancellationToken.None));

        Assert.Equal(ExitCode.IntegrityFailed, error.ExitCode);
        var status = await File.ReadAllTextAsync(Path.Combine(_temp.File("root"), NodeLayout.StatusFile.TrimStart('/')));
        Assert.Contains("\"state\": \"failed\"", status, StringComparison.Ordinal);
        Assert.Contains("pool/main/e/etcd.deb differs", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_banner_names_the_release_of_the_bundle_the_node_installed_from()
    {
        _temp.Write("default.yml", TestNode.SingleNode);
        _temp.Write("repo/Packages", "");
        _temp.Write("repo/manifest.json", """{ "format": "pigsty-appliance-bundle/1", "os": "d13" }""");
        var machine = new FakeMachine(_temp.File("root"));
        var installer = FirstBootSetup.Installer(_temp, machine, new ScriptedProcesses(), volume: false);

        await installer.RunAsync(new InstallOptions(null, System.Net.IPAddress.Parse("10.10.10.10"), false, false) { RepoDirectory = _temp.File("repo") },
            CancellationToken.None);

        var issue = await File.ReadAllTextAsync(Path.Join(_temp.File("root"), NodeLayout.Issue));
        Assert.StartsWith("Pigsty appliance \\n (\\4) - Debian GNU/Linux 13 (trixie)\nInstall:     done\n", issue, StringComparison.Ordinal);
    }

    private sealed class SlowCorruptBundle : IBundleCheck
    {
        public async Task<string> VerifyAsync(string repoDirectory, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            throw new IntegrityException("repo_complete: pool/main/e/etcd.deb differs");
        }
    }

    /// <summary>Runs the installer with a PIGSTY volume mounted at seed/ and expects it to fail with an input error.</summary>
    private async Task<(InputException Error, FakeMachine Machine, ScriptedProcesses Mounted)> FailFromVolumeAsync()
    {
        var machine = new FakeMachine(_temp.File("root"));
        // A FAT volume (as blkid probes it), and nothing is mounted there yet (mountpoint -q answers 1).
        var mounted = new ScriptedProcesses();
        mounted.On(spec => spec.FileName == "blkid", _ => ScriptedProcesses.Ok("vfat\n"));
        mounted.On(spec => spec.FileName == "mountpoint", _ => ScriptedProcesses.Fail(1, ""));
        var installer = FirstBootSetup.Installer(_temp, machine, mounted);

        var error = await Assert.ThrowsAsync<InputException>(() => installer.RunAsync(new InstallOptions(null, null, false, false), CancellationToken.None));
        return (error, machine, mounted);
    }
}
