using System.Buffers.Binary;
using System.Text;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>The partition entry array (UEFI 2.10, table 5.6): 128-byte entries, names in UTF-16LE.</summary>
internal static class GptEntries
{
    public const int EntrySize = 128;
    public const int NameChars = 36;

    /// <summary>A bound that keeps a corrupt header from making us allocate gigabytes.</summary>
    public const int MaxEntryCount = 65536;

    /// <summary>The whole array, <paramref name="entryCount"/> entries, partitions placed by their number.</summary>
    public static byte[] Encode(IReadOnlyList<GptPartition> partitions, int entryCount)
    {
        var array = new byte[entryCount * EntrySize];
        foreach (var partition in partitions)
        {
            var entry = array.AsSpan((partition.Number - 1) * EntrySize, EntrySize);
            partition.Type.TryWriteBytes(entry[..16]);
            partition.PartitionGuid.TryWriteBytes(entry[16..32]);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[32..], (ulong)partition.FirstLba);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[40..], (ulong)partition.LastLba);
            BinaryPrimitives.WriteUInt64LittleEndian(entry[48..], (ulong)partition.Attributes);
            Encoding.Unicode.GetBytes(partition.Name, entry[56..]);
        }

        return array;
    }

    /// <summary>The used entries of an array (type GUID not all zeros), in entry order.</summary>
    public static List<GptPartition> Decode(ReadOnlySpan<byte> array, int entryCount, int entrySize)
    {
        var partitions = new List<GptPartition>();
        for (var i = 0; i < entryCount; i++)
        {
            var entry = array.Slice(i * entrySize, EntrySize);
            var type = new Guid(entry[..16]);
            if (type == Guid.Empty)
            {
                continue;
            }

            var name = Encoding.Unicode.GetString(entry.Slice(56, NameChars * 2));
            var nul = name.IndexOf('\0', StringComparison.Ordinal);
            partitions.Add(new GptPartition(
                Number: i + 1,
                Name: nul < 0 ? name : name[..nul],
                Type: type,
                PartitionGuid: new Guid(entry[16..32]),
                FirstLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[32..]),
                LastLba: (long)BinaryPrimitives.ReadUInt64LittleEndian(entry[40..]),
                Attributes: (GptAttributes)BinaryPrimitives.ReadUInt64LittleEndian(entry[48..])));
        }

        return partitions;
    }
}
