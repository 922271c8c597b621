namespace Pigsty.Appliance.Core.Processes;

/// <summary>Which Debian package provides each host tool we call, so a missing tool names its package.</summary>
public static class KnownTools
{
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["apt-get"] = "apt",
        ["curl"] = "curl",
        ["dpkg"] = "dpkg",
        ["dpkg-deb"] = "dpkg",
        ["gpg"] = "gpg",
        ["gpgconf"] = "gpgconf",
        ["gpgv"] = "gpgv",
        ["grub-mkimage"] = "grub-common",
        ["grub-mkstandalone"] = "grub-common",
        ["mcopy"] = "mtools",
        ["mmd"] = "mtools",
        ["mkfs.vfat"] = "dosfstools",
        ["mke2fs"] = "e2fsprogs",
        ["mmdebstrap"] = "mmdebstrap",
        ["pg_isready"] = "postgresql-client",
        ["psql"] = "postgresql-client",
        ["qemu-img"] = "qemu-utils",
        ["qemu-system-x86_64"] = "qemu-system-x86",
        ["sfdisk"] = "fdisk",
        ["sgdisk"] = "gdisk",
        ["sha256sum"] = "coreutils",
        ["xz"] = "xz-utils",
        ["visudo"] = "sudo",
        ["zstd"] = "zstd",
    };

    /// <summary>The Debian package providing <paramref name="tool"/>, or null when we do not know it.</summary>
    public static string? PackageFor(string tool) => Packages.GetValueOrDefault(Path.GetFileName(tool));
}
