using Pigsty.Appliance.Bundler.Bootstrap;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Bootstrap;

public class InitramfsOnceTests
{
    [Fact]
    public async Task Mmdebstrap_gets_the_environment_and_the_hooks_of_the_request()
    {
        var runner = new ScriptedProcesses();
        await new Mmdebstrap(runner).RunAsync(new MmdebstrapRequest("/repo", "/root.tar", ["linux-image-amd64"])
        {
            Environment = InitramfsOnce.Deferred,
            CustomizeHooks = [InitramfsOnce.CustomizeHook],
        }, CancellationToken.None);

        var run = Assert.Single(runner.Runs);
        Assert.Equal("mmdebstrap", run.FileName);
        Assert.Equal("No", run.Environment["INITRD"]);
        Assert.Contains("--customize-hook=" + InitramfsOnce.CustomizeHook, run.Arguments);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task The_customize_hook_creates_the_initramfs_only_when_dpkg_left_none(bool initrdExists, bool created)
    {
        // The hook run as mmdebstrap runs it (sh -c, the new root as $1), with a chroot on PATH that records what it was asked.
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.File("root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        if (initrdExists)
        {
            File.WriteAllText(Path.Combine(root, "boot", "initrd.img-6.1.0-57-amd64"), "");
        }

        var record = temp.File("chroot.calls");
        var bin = Directory.CreateDirectory(temp.File("bin")).FullName;
        var chroot = temp.Write("bin/chroot", $"#!/bin/sh\necho \"$@\" >> '{record}'\n");
        File.SetUnixFileMode(chroot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = await new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance).RunAsync(new ProcessSpec("sh", ["-c", InitramfsOnce.CustomizeHook, "hook", root])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" },
        }, CancellationToken.None);

        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal(created ? $"{root} update-initramfs -c -k all\n" : null, File.Exists(record) ? File.ReadAllText(record) : null);
        Assert.Equal(created, File.Exists(root + InitramfsOnce.ConfPath));
        Assert.Equal(created, File.Exists(root + InitramfsOnce.HookPath));
    }

    [Fact]
    public async Task The_initramfs_it_creates_lists_every_module_class_of_most_but_the_network_drivers()
    {
        using var temp = new TempDirectory();
        var root = Directory.CreateDirectory(temp.File("root")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "boot"));
        var bin = Directory.CreateDirectory(temp.File("bin")).FullName;
        File.SetUnixFileMode(temp.Write("bin/chroot", "#!/bin/sh\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runner = new ProcessRunner(Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessRunner>.Instance);
        await runner.RunAsync(new ProcessSpec("sh", ["-c", InitramfsOnce.CustomizeHook, "hook", root])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" },
        }, CancellationToken.None);

        var conf = File.ReadAllLines(root + InitramfsOnce.ConfPath);
        var hook = File.ReadAllLines(root + InitramfsOnce.HookPath);

        Assert.Equal("MODULES=list", conf[^1]);
        Assert.Equal("#!/bin/sh", hook[0]);
        Assert.Equal("auto_add_modules base ide scsi block ata dasd firewire mmc usb_storage fb", hook[^1]);
        Assert.Equal(UnixFileMode.UserExecute, File.GetUnixFileMode(root + InitramfsOnce.HookPath) & UnixFileMode.UserExecute);
        // mkinitramfs orders hooks by asking each for its prerequisites first: the answer is none, and nothing else runs.
        var prereqs = await runner.RunAsync(new ProcessSpec(root + InitramfsOnce.HookPath, ["prereqs"]), CancellationToken.None);
        Assert.True(prereqs.Succeeded, prereqs.StandardError);
        Assert.Equal("", prereqs.StandardOutput);
    }
}
