using System.Formats.Tar;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>The tar archive GRUB mounts as <c>(memdisk)</c>: it holds <c>/boot/grub/grub.cfg</c>, the prefix GRUB's normal mode reads.</summary>
internal static class GrubMemdisk
{
    public const string Prefix = "(memdisk)/boot/grub";

    public static void Write(string path, string grubCfg, DateTimeOffset modified)
    {
        using var stream = File.Create(path);
        using var writer = new TarWriter(stream, TarEntryFormat.Ustar, leaveOpen: false);
        foreach (var directory in new[] { "boot/", "boot/grub/" })
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, directory)
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead
                    | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                ModificationTime = modified,
            });
        }

        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "boot/grub/grub.cfg")
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = modified,
            DataStream = new MemoryStream(AtomicFile.Utf8.GetBytes(grubCfg)),
        });
    }
}
