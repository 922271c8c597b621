namespace Pigsty.Appliance.Repository.Archives;

/// <summary>What an extraction made.</summary>
/// <param name="Directory">The directory the archive is now in.</param>
/// <param name="Files">Regular files written (hard links counted as the files they copy).</param>
/// <param name="Links">Symlinks made.</param>
/// <param name="Bytes">Bytes of file data written.</param>
public sealed record ArchiveExtraction(string Directory, int Files, int Links, long Bytes);
