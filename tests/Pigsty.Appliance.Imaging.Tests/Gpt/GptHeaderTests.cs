using System.Buffers.Binary;
using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

public sealed class GptHeaderTests
{
    // A primary header of a 2 GiB disk with 128 entries of 128 bytes. The expected CRCs were computed outside .NET
    // (Python's zlib.crc32 over the 92 bytes laid out as UEFI 2.10 table 5.5 says, CRC field zero; and over 16 KiB of zeros).
    private static readonly GptHeader Primary = new(
        MyLba: 1, AlternateLba: 4194303, FirstUsableLba: 34, LastUsableLba: 4194270,
        DiskGuid: Guid.Parse("4b1c2d3e-5f60-4a7b-8c9d-0e1f2a3b4c5d"), EntriesLba: 2,
        EntryCount: 128, EntrySize: 128, EntriesCrc: 0x89ABCDEF);

    [Fact]
    public void The_header_crc_is_the_known_value()
    {
        var sector = Primary.Encode();

        Assert.Equal(0xB93FCF09u, BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(16)));
    }

    [Fact]
    public void An_encoded_header_decodes_to_the_same_fields_without_problems()
    {
        var problems = new List<GptProblem>();

        var decoded = GptHeader.TryDecode(Primary.Encode(), lba: 1, "primary header", problems);

        Assert.Empty(problems);
        Assert.Equal(Primary, decoded);
    }

    [Fact]
    public void The_crc_of_an_empty_entry_array_is_the_known_value()
    {
        var disk = GptWriter.Plan(new GptLayout(64 * TestLayouts.MiB, [], GuidSource.FromSeed("empty")));
        using var stream = new MemoryStream();
        stream.SetLength(disk.TotalSectors * GptLayout.SectorSize);

        GptWriter.WriteStructures(stream, disk);

        var header = stream.GetBuffer().AsSpan(GptLayout.SectorSize, GptLayout.SectorSize);
        Assert.Equal(0xAB54D286u, BinaryPrimitives.ReadUInt32LittleEndian(header[88..]));
    }
}
