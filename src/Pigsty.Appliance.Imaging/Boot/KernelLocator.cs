using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>Finds the kernel and initrd in a root filesystem tree, as paths GRUB opens from the filesystem's root.</summary>
public static class KernelLocator
{
    /// <summary>The <c>/vmlinuz</c> and <c>/initrd.img</c> links when both resolve (they follow kernel upgrades), else the newest <c>/boot/vmlinuz-*</c> that has an initrd.</summary>
    public static (string Kernel, string Initrd) Find(string rootDirectory)
    {
        if (Resolves(rootDirectory, "vmlinuz") && Resolves(rootDirectory, "initrd.img"))
        {
            return ("/vmlinuz", "/initrd.img");
        }

        var boot = Path.Combine(rootDirectory, "boot");
        var versions = Directory.Exists(boot)
            ? Directory.EnumerateFiles(boot, "vmlinuz-*")
                .Select(p => Path.GetFileName(p)["vmlinuz-".Length..])
                .Where(v => File.Exists(Path.Combine(boot, "initrd.img-" + v)))
                .OrderBy(v => v, KernelVersionComparer.Instance)
                .ToList()
            : [];
        if (versions.Count == 0)
        {
            throw new InputException(rootDirectory,
                "no kernel with an initrd: expected /vmlinuz and /initrd.img, or /boot/vmlinuz-<version> with /boot/initrd.img-<version>");
        }

        return ($"/boot/vmlinuz-{versions[^1]}", $"/boot/initrd.img-{versions[^1]}");
    }

    /// <summary>True when the link (or file) at the tree's top resolves to a regular file inside the tree.</summary>
    private static bool Resolves(string rootDirectory, string name)
    {
        var path = Path.Combine(rootDirectory, name);
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null)
        {
            return false;
        }

        var target = info.LinkTarget is { } link
            ? Path.IsPathRooted(link) ? Path.Combine(rootDirectory, link.TrimStart('/')) : Path.Combine(rootDirectory, link)
            : path;
        return File.Exists(target);
    }
}
