namespace Pigsty.Appliance.Imaging.Filesystems;

/// <summary>How to make an ext4 filesystem: its identity, what to copy in, and the time to stamp it with.</summary>
/// <param name="Uuid">Filesystem UUID (what <c>root=UUID=</c> and GRUB's <c>search --fs-uuid</c> find); also the directory hash seed.</param>
/// <param name="Label">Volume label, at most 16 bytes; null for none.</param>
/// <param name="SourceDirectory">Directory whose tree (owners, modes, links, devices) becomes the filesystem's content; null for empty.</param>
/// <param name="SourceDateEpoch">Seconds since 1970 written as creation and write time (E2FSPROGS_FAKE_TIME); null for now.</param>
public sealed record Ext4Options(Guid Uuid, string? Label = null, string? SourceDirectory = null, long? SourceDateEpoch = null)
{
    /// <summary>Features switched off on top of the host's mke2fs.conf: upstream GRUB 2.06 and e2fsprogs before 1.47 (rescue systems) refuse them.</summary>
    public IReadOnlyList<string> DisabledFeatures { get; init; } = ["metadata_csum_seed", "orphan_file"];
}
