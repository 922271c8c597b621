using Pigsty.Appliance.Bundler.Bootstrap;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Imaging.Iso;

/// <summary>
/// The installer medium's live system: a minimal Debian root filesystem from the bundle alone, with the kernel's storage and
/// filesystem modules only, the self-contained installer and an <c>/init</c> that runs <c>install-disk</c>. The kernel unpacks it
/// whole into memory (an initramfs that is the root filesystem), so it needs no live-boot package and no squashfs.
/// </summary>
public sealed class LiveRoot(IProcessRunner runner)
{
    /// <summary>
    /// On top of minbase, in <paramref name="platform"/>'s release: the kernel and its modules, udev (disk links by id, module
    /// loading), ext4 tools, sfdisk (moves the image's backup GPT to the disk's end), the installer's libraries.
    /// </summary>
    public static IReadOnlyList<string> PackagesOn(TargetPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return [platform.KernelPackage, "udev", "kmod", "e2fsprogs", "fdisk", platform.OpenSslPackage, "libstdc++6", "zlib1g"];
    }

    /// <summary>Module directories (under lib/modules/VERSION/kernel) the live system keeps: disks, CD and USB media, ISO 9660, ext4, FAT.</summary>
    public static readonly IReadOnlyList<string> ModuleDirectories =
    [
        "drivers/ata", "drivers/scsi", "drivers/nvme", "drivers/block", "drivers/virtio", "drivers/cdrom", "drivers/mmc",
        "drivers/message", "drivers/hv", "drivers/pci", "drivers/usb/storage", "drivers/usb/host", "drivers/usb/core", "drivers/usb/common",
        "fs/isofs", "fs/ext4", "fs/jbd2", "fs/mbcache.ko", "fs/fat", "fs/nls", "lib", "crypto", "arch/x86/crypto",
    ];

    /// <summary>
    /// Trees the live system never reads: documentation, apt's caches and lists, the kernel's own boot files, and the device nodes
    /// mmdebstrap made (the live system's /dev is devtmpfs; a cpio of device nodes is refused).
    /// </summary>
    private static readonly IReadOnlyList<string> Dropped =
        ["usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "var/cache/apt", "var/lib/apt/lists", "var/log", "boot", "dev"];

    /// <summary>Bootstraps the live root of <paramref name="platform"/> into <paramref name="root"/> and returns the path of its kernel, copied beside it.</summary>
    public async Task<string> BuildAsync(string repo, string root, string installer, TargetPlatform platform, CancellationToken cancellationToken)
    {
        await new Mmdebstrap(runner).RunAsync(new MmdebstrapRequest(repo, root, PackagesOn(platform))
        {
            DpkgOptions = ImageBuilder.DpkgOptions,
            // No initramfs-tools run: this tree is the initramfs.
            Environment = InitramfsOnce.Deferred,
        }, cancellationToken);

        var version = KernelVersion(root);
        var kernel = Path.Combine(Path.GetDirectoryName(root)!, "vmlinuz");
        File.Copy(Path.Combine(root, "boot", $"vmlinuz-{version}"), kernel, overwrite: true);
        PruneModules(root, version);
        foreach (var tree in Dropped)
        {
            var path = Path.Combine(root, tree);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }

        Directory.CreateDirectory(Path.Combine(root, "dev"));

        // modules.dep for what is left, so that udev's modprobe finds each module's dependencies.
        await runner.RunAsync(ProcessSpec.Of("chroot", root, "/sbin/depmod", "-a", version), cancellationToken);
        var bin = Path.Combine(root, NodeLayout.InstallerDirectory.TrimStart('/'));
        Directory.CreateDirectory(bin);
        File.Copy(installer, Path.Combine(bin, NodeLayout.InstallerName), overwrite: true);
        File.SetUnixFileMode(Path.Combine(bin, NodeLayout.InstallerName), (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(root, "init"), InitScript, cancellationToken);
        File.SetUnixFileMode(Path.Combine(root, "init"), (UnixFileMode)0b111_101_101);
        return kernel;
    }

    /// <summary>
    /// The live system's first process. It mounts the kernel's filesystems, lets udev load the disk drivers and make the by-id and
    /// by-label links, runs the installer with its output on both consoles, and reboots into the installed disk when it succeeded.
    /// On a failure the console stays as it is: the message is the last thing on the screen.
    /// </summary>
    public static string InitScript { get; } = $$"""
        #!/bin/sh
        # The Pigsty appliance installer medium's live system (written by Pigsty.Appliance).
        PATH=/usr/sbin:/usr/bin:/sbin:/bin
        HOME=/root
        DOTNET_BUNDLE_EXTRACT_BASE_DIR=/tmp
        export PATH HOME DOTNET_BUNDLE_EXTRACT_BASE_DIR
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        mkdir -p /dev/pts /run /tmp
        mount -t tmpfs -o mode=0755 tmpfs /run
        mount -t tmpfs tmpfs /tmp
        echo "pigsty-install: finding disks"
        /lib/systemd/systemd-udevd --daemon --resolve-names=never
        udevadm trigger --type=subsystems --action=add
        udevadm trigger --type=devices --action=add
        udevadm settle --timeout=120
        # Both consoles: /dev/console is the last console= of the command line (the serial port), tty0 is the screen.
        { {{NodeLayout.Installer}} install-disk 2>&1; echo $? > /run/install-status; } | tee /dev/tty0
        status=$(cat /run/install-status)
        if [ "$status" = 0 ]; then
          sync
          echo "pigsty-install: rebooting into the installed disk" | tee /dev/tty0
          echo b > /proc/sysrq-trigger
        fi
        echo "{{InstallMedium.StoppedLine}} (exit $status); nothing more happens: power the machine off" | tee /dev/tty0
        while true; do sleep 3600; done

        """;

    private static string KernelVersion(string root)
    {
        var versions = Directory.EnumerateDirectories(Path.Combine(root, "usr/lib/modules")).Select(Path.GetFileName).OfType<string>().ToList();
        return versions.Count == 1 ? versions[0]
            : throw new IntegrityException($"the live root {root} holds {versions.Count} kernels ({string.Join(", ", versions)}); it needs exactly one");
    }

    /// <summary>
    /// Deletes every module outside <see cref="ModuleDirectories"/> that none of the kept ones needs: modules.dep (as the kernel
    /// package shipped it, before depmod runs again) lists each module's dependencies, e.g. sd_mod's t10-pi in kernel/block.
    /// </summary>
    private static void PruneModules(string root, string version)
    {
        var tree = Path.Combine(root, "usr/lib/modules", version);
        var kernel = Path.Combine(tree, "kernel");
        var keep = Kept(File.ReadAllLines(Path.Combine(tree, "modules.dep")));
        foreach (var module in Directory.EnumerateFiles(kernel, "*", SearchOption.AllDirectories).ToList())
        {
            if (!keep.Contains(Path.GetRelativePath(tree, module)))
            {
                File.Delete(module);
            }
        }
    }

    /// <summary>The modules (paths relative to lib/modules/VERSION, as modules.dep writes them) under the kept directories, and their dependencies.</summary>
    public static IReadOnlySet<string> Kept(IEnumerable<string> modulesDep)
    {
        ArgumentNullException.ThrowIfNull(modulesDep);
        var directories = ModuleDirectories.Select(d => "kernel/" + d).ToList();
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in modulesDep)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var module = line[..colon];
            if (directories.Any(d => module == d || module.StartsWith(d + "/", StringComparison.Ordinal)))
            {
                keep.Add(module);
                keep.UnionWith(line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }

        return keep;
    }
}
