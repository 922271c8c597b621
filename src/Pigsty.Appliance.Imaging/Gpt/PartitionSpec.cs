namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>One partition to create: its name, type, size in bytes (null: the rest of the disk) and attributes.</summary>
/// <param name="Name">GPT partition name, at most 36 UTF-16 code units; also the key partitions are looked up by.</param>
/// <param name="Type">Partition type GUID, e.g. <see cref="GptPartitionTypes.EfiSystem"/>.</param>
/// <param name="SizeBytes">Size in bytes, rounded up to the alignment; null takes what is left (only the last partition).</param>
/// <param name="Attributes">Attribute bits, e.g. <see cref="GptAttributes.LegacyBiosBootable"/>.</param>
/// <param name="PartitionGuid">A fixed unique partition GUID; null derives one from the layout's <see cref="GuidSource"/>.</param>
public sealed record PartitionSpec(
    string Name,
    Guid Type,
    long? SizeBytes,
    GptAttributes Attributes = GptAttributes.None,
    Guid? PartitionGuid = null);
