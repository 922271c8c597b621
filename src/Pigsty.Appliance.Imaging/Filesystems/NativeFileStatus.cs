using System.Runtime.InteropServices;

namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>statx(2) without following symbolic links; its buffer has one layout on every architecture, unlike struct stat.</summary>
internal static partial class NativeFileStatus
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int BufferSize = 256;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;
    private const int ModifiedOffset = 112;

    /// <summary>The type, mode, size and modification time of <paramref name="path"/> itself (a link, not its target).</summary>
    public static FileStatus Read(string path)
    {
        Span<byte> buffer = stackalloc byte[BufferSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{path}: statx failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        return new FileStatus(
            MemoryMarshal.Read<ushort>(buffer[ModeOffset..]),
            (long)MemoryMarshal.Read<ulong>(buffer[SizeOffset..]),
            MemoryMarshal.Read<long>(buffer[ModifiedOffset..]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, Span<byte> buffer);
}
