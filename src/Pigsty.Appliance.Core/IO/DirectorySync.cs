using System.Runtime.InteropServices;

namespace Pigsty.Appliance.Core.IO;

/// <summary>fsync(2) of a directory: .NET opens no directory as a file, and a rename is durable only once its directory entry is.</summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000;
    private const int CloseOnExec = 0x80000;
    private const int InvalidArgument = 22;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; a filesystem that cannot sync directories (EINVAL) is accepted.</summary>
    public static void Flush(string directory)
    {
        var fd = Open(directory, ReadOnly | DirectoryOnly | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to flush it: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (Fsync(fd) != 0 && Marshal.GetLastPInvokeError() != InvalidArgument)
            {
                throw new IOException($"cannot flush directory {directory}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
