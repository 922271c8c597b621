using Pigsty.Appliance.Core.Pipelines;
using System.Diagnostics;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Disk;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Proof;

/// <summary>
/// The disk both boot proofs share, built once: Debian 12 minbase + kernel, a unit that prints <see cref="Marker"/> on the
/// serial console, and our GPT/ext4/ESP/GRUB code around it.
/// </summary>
public sealed class ProofDisk : IAsyncLifetime
{
    public const string Marker = "PIGSTY-BOOT-PROOF";

    private readonly TempDirectory _temp = new();

    public string ImagePath => _temp.File("proof.img");

    public IReadOnlyList<StepTiming> Steps { get; private set; } = [];

    public BootableDisk? Built { get; private set; }

    public long SizeBytes { get; private set; }

    public long AllocatedBytes { get; private set; }

    public async Task InitializeAsync()
    {
        var runner = ProcessRunner.Silent;
        var steps = new List<StepTiming>();
        var clock = Stopwatch.StartNew();
        var (tarball, cached) = await DebianRootfs.TarballAsync(runner, CancellationToken.None);
        steps.Add(new StepTiming(cached ? "rootfs (cached tarball)" : "rootfs (mmdebstrap)", clock.Elapsed));

        clock.Restart();
        var root = _temp.File("root");
        await DebianRootfs.ExtractAsync(runner, tarball, root, CancellationToken.None);
        steps.Add(new StepTiming("extract", clock.Elapsed));

        clock.Restart();
        var uuid = Guid.NewGuid();
        await CustomizeAsync(root, uuid);
        steps.Add(new StepTiming("customize", clock.Elapsed));

        Built = await new BootableDiskBuilder(runner).BuildAsync(
            new BootableDiskOptions(ImagePath, 2048L * 1024 * 1024, root, uuid) { Guids = GuidSource.Random }, CancellationToken.None);
        steps.AddRange(Built.Steps);
        Steps = steps;
        SizeBytes = new FileInfo(ImagePath).Length;
        AllocatedBytes = await HostTools.AllocatedBytesAsync(ImagePath);
        Directory.Delete(root, recursive: true);
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>fstab for the root, a hostname, and the marker unit enabled for multi-user.target.</summary>
    private static async Task CustomizeAsync(string root, Guid uuid)
    {
        var token = CancellationToken.None;
        await AtomicFile.WriteAllTextAsync(Path.Combine(root, "etc/fstab"), $"UUID={uuid} / ext4 defaults,errors=remount-ro 0 1\n", token);
        await AtomicFile.WriteAllTextAsync(Path.Combine(root, "etc/hostname"), "pigsty-proof\n", token);
        await AtomicFile.WriteAllTextAsync(Path.Combine(root, "usr/local/sbin/pigsty-boot-proof"),
            $"#!/bin/sh\nread up idle < /proc/uptime\necho \"{Marker} uptime=${{up}}s\"\n", token,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await AtomicFile.WriteAllTextAsync(Path.Combine(root, "etc/systemd/system/pigsty-boot-proof.service"),
            "[Unit]\nDescription=Pigsty boot proof marker\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/pigsty-boot-proof\n"
            + "StandardOutput=journal+console\n\n[Install]\nWantedBy=multi-user.target\n", token);
        var wants = Path.Combine(root, "etc/systemd/system/multi-user.target.wants");
        Directory.CreateDirectory(wants);
        File.CreateSymbolicLink(Path.Combine(wants, "pigsty-boot-proof.service"), "/etc/systemd/system/pigsty-boot-proof.service");
    }
}
