namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>How to make a FAT filesystem: label, volume ID, FAT width and the files to put in.</summary>
/// <param name="Label">Volume label, at most 11 characters, e.g. <c>ESP</c>, <c>PIGSTY</c> or <c>CIDATA</c>.</param>
/// <param name="VolumeId">The 32-bit volume serial (what Linux shows as UUID <c>XXXX-XXXX</c>).</param>
/// <param name="Files">Files to copy in; their parent directories are created.</param>
/// <param name="FatBits">12, 16 or 32; null lets mkfs.vfat choose by size (an ESP should say 32).</param>
/// <param name="SourceDateEpoch">Seconds since 1970 stamped on what mtools writes (mkfs.vfat then uses its constant time); null for now.</param>
public sealed record FatOptions(
    string Label,
    uint VolumeId,
    IReadOnlyList<FatFile> Files,
    int? FatBits = null,
    long? SourceDateEpoch = null);
