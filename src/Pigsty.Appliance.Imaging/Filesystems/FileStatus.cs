namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>What statx(2) says of a path itself: .NET has no way to tell a FIFO or a device from a regular file without opening it.</summary>
internal readonly record struct FileStatus(uint Mode, long Size, long ModifiedSeconds)
{
    /// <summary>The S_IFMT type bits of <see cref="Mode"/>.</summary>
    public uint Type => Mode & TypeMask;

    public const uint TypeMask = 0xF000;
    public const uint Fifo = 0x1000;
    public const uint CharacterDevice = 0x2000;
    public const uint Directory = 0x4000;
    public const uint BlockDevice = 0x6000;
    public const uint Regular = 0x8000;
    public const uint SymbolicLink = 0xA000;
    public const uint Socket = 0xC000;
}
