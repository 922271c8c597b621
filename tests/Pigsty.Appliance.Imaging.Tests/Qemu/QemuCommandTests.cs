using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

public sealed class QemuCommandTests
{
    [Fact]
    public void Uefi_boot_uses_ovmf_flash_a_private_vars_copy_and_never_writes_the_image()
    {
        var options = new QemuBootOptions("/images/disk,1.img", Firmware.Uefi)
        {
            Forwards = [new PortForward(40022, 22), new PortForward(40080, 80)],
            ExtraDrives = [new QemuDrive("/images/seed.img"), new QemuDrive("/images/scratch.qcow2", "qcow2", Writable: true)],
        };

        var spec = QemuCommand.Build(options, Accelerator.Tcg, "/tmp/vm/OVMF_VARS.fd");

        var args = spec.Arguments;
        Assert.Equal("qemu-system-x86_64", spec.FileName);
        Assert.Equal("tcg", After(args, "-accel"));
        Assert.Equal("max", After(args, "-cpu"));
        Assert.Contains("if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd", args);
        Assert.Contains("if=pflash,format=raw,unit=1,file=/tmp/vm/OVMF_VARS.fd", args);
        Assert.Contains("file=/images/disk,,1.img,format=raw,if=none,id=disk0,snapshot=on", args);
        Assert.Contains("virtio-blk-pci,drive=disk0,bootindex=0", args);
        Assert.Contains("file=/images/seed.img,format=raw,if=none,id=disk1,snapshot=on", args);
        Assert.Contains("file=/images/scratch.qcow2,format=qcow2,if=none,id=disk2,snapshot=off", args);
        Assert.Equal("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22,hostfwd=tcp:127.0.0.1:40080-:80", After(args, "-netdev"));
        Assert.Equal("stdio", After(args, "-serial"));
        Assert.Contains("-no-reboot", args);
    }

    [Fact]
    public void A_cd_boots_after_the_disk_so_that_an_empty_disk_falls_through_to_it_and_a_written_one_boots_first()
    {
        var spec = QemuCommand.Build(new QemuBootOptions("target.raw", Firmware.Bios) { ImageWritable = true, Cdrom = "/dist/installer,1.iso" }, Accelerator.Tcg, null);

        Assert.Contains("virtio-blk-pci,drive=disk0,bootindex=0", spec.Arguments);
        Assert.Contains("file=/dist/installer,,1.iso,format=raw,if=none,id=cd0,media=cdrom,readonly=on", spec.Arguments);
        Assert.Contains("ide-cd,drive=cd0,bus=ide.0,bootindex=1", spec.Arguments);
        Assert.DoesNotContain(spec.Arguments, a => a.Contains("cdrom", StringComparison.Ordinal) && !a.Contains("cd0", StringComparison.Ordinal));
    }

    [Fact]
    public void Bios_boot_has_no_flash_and_kvm_uses_the_host_cpu()
    {
        var spec = QemuCommand.Build(new QemuBootOptions("disk.img", Firmware.Bios) { MemoryMiB = 2048, Cpus = 1 }, Accelerator.Kvm, null);

        Assert.DoesNotContain(spec.Arguments, a => a.Contains("pflash", StringComparison.Ordinal));
        Assert.Equal("kvm", After(spec.Arguments, "-accel"));
        Assert.Equal("host", After(spec.Arguments, "-cpu"));
        Assert.Equal("2048", After(spec.Arguments, "-m"));
        Assert.Equal("1", After(spec.Arguments, "-smp"));
        Assert.Equal("user,id=net0,restrict=on", After(spec.Arguments, "-netdev"));
    }

    [Fact]
    public void A_tap_nic_in_a_namespace_runs_qemu_through_ip_netns_exec_without_a_user_nic()
    {
        var options = new QemuBootOptions("disk.qcow2", Firmware.Uefi) { Tap = new TapNic("tap1", "52:54:00:0a:0a:0c"), NetworkNamespace = "pigsty-bt-7-ab" };

        var spec = QemuCommand.Build(options, Accelerator.Tcg, "/tmp/vm/OVMF_VARS.fd", "/tmp/vm/qemu.pid");

        Assert.Equal("ip", spec.FileName);
        Assert.Equal(["netns", "exec", "pigsty-bt-7-ab", "qemu-system-x86_64"], spec.Arguments.Take(4));
        Assert.Equal("tap,id=net1,ifname=tap1,script=no,downscript=no", After(spec.Arguments, "-netdev"));
        Assert.Contains("virtio-net-pci,netdev=net1,mac=52:54:00:0a:0a:0c,romfile=", spec.Arguments);
        Assert.DoesNotContain(spec.Arguments, a => a.StartsWith("user,", StringComparison.Ordinal));
        Assert.Equal("/tmp/vm/qemu.pid", After(spec.Arguments, "-pidfile"));
    }

    [Fact]
    public void A_tap_nic_with_forwards_keeps_the_restricted_user_nic_beside_it()
    {
        var options = new QemuBootOptions("disk.img", Firmware.Bios) { Tap = new TapNic("tap0", "52:54:00:0a:0a:0b"), Forwards = [new PortForward(40022, 22)] };

        var spec = QemuCommand.Build(options, Accelerator.Tcg, null);

        Assert.Equal("qemu-system-x86_64", spec.FileName);
        Assert.Contains("tap,id=net1,ifname=tap0,script=no,downscript=no", spec.Arguments);
        Assert.Contains("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22", spec.Arguments);
        Assert.DoesNotContain("-pidfile", spec.Arguments);
    }

    private static string After(IReadOnlyList<string> args, string option) => args[args.ToList().IndexOf(option) + 1];
}
