using System.Runtime.InteropServices;

namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>POSIX link(2): .NET has symbolic links but no hard links.</summary>
internal static partial class NativeFiles
{
    /// <summary>Creates <paramref name="newPath"/> as a hard link to <paramref name="existing"/>; false when the file system refuses (other device, no support).</summary>
    public static bool TryHardLink(string existing, string newPath) => Link(existing, newPath) == 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
