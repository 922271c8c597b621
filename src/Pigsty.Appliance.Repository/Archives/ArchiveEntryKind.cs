namespace Pigsty.Appliance.Repository.Archives;

/// <summary>What an archive entry is.</summary>
public enum ArchiveEntryKind
{
    /// <summary>A regular file, whose bytes are the entry's data.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symlink to <see cref="ArchiveEntry.LinkTarget"/>.</summary>
    SymbolicLink,

    /// <summary>A tar hard link to an earlier entry, <see cref="ArchiveEntry.LinkTarget"/>.</summary>
    HardLink,

    /// <summary>Anything else (a device, a FIFO): never extracted.</summary>
    Other,
}
