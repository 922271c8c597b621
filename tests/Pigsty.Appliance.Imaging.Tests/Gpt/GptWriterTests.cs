using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Testing;
using static Pigsty.Appliance.Imaging.Tests.Gpt.TestLayouts;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

public sealed class GptWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Sgdisk_verify_finds_no_problem_in_our_disk()
    {
        var image = _temp.File("disk.img");
        GptWriter.Write(image, ApplianceLayout(2048 * MiB, GuidSource.Random));

        var verify = await HostTools.RunAsync("sgdisk", "-v", image);

        Assert.Contains("No problems found", verify, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sfdisk_sees_exactly_what_we_wrote()
    {
        var image = _temp.File("disk.img");
        var layout = new GptLayout(1536 * MiB,
        [
            new PartitionSpec("BIOS boot", GptPartitionTypes.BiosBoot, MiB, GptAttributes.LegacyBiosBootable | GptAttributes.RequiredPartition),
            new PartitionSpec("ESP ✓ ünïcode", GptPartitionTypes.EfiSystem, 64 * MiB),
            new PartitionSpec("seed", GptPartitionTypes.MicrosoftBasicData, (3 * MiB) + 1, GptAttributes.NoAutomount | GptAttributes.Hidden),
            new PartitionSpec("root", GptPartitionTypes.LinuxRootX8664, null),
        ], GuidSource.Random);

        var disk = GptWriter.Write(image, layout);

        SfdiskAssert.Matches(disk, await HostTools.SfdiskJsonAsync(image));
        Assert.Equal([2048L, 4096, 135168, 143360], disk.Partitions.Select(p => p.FirstLba));
        Assert.Equal(4 * MiB, disk.Partition("seed").SizeBytes);
        Assert.All(disk.Partitions, p => Assert.Equal(0, p.OffsetBytes % MiB));
        Assert.Equal(0, disk.Partition("root").SizeBytes % MiB);
    }

    [Fact]
    public async Task Image_is_sparse()
    {
        var image = _temp.File("disk.img");
        GptWriter.Write(image, ApplianceLayout(8192 * MiB, GuidSource.Random));

        Assert.Equal(8192 * MiB, new FileInfo(image).Length);
        Assert.True(await HostTools.AllocatedBytesAsync(image) <= 256 * 1024, "only the GPT structures are allocated");
    }

    [Fact]
    public void A_seeded_layout_gives_the_same_bytes_every_time()
    {
        var first = Structures(GuidSource.FromSeed("build-42"));

        Assert.Equal(first, Structures(GuidSource.FromSeed("build-42")));
        Assert.NotEqual(first, Structures(GuidSource.FromSeed("build-43")));
    }

    [Fact]
    public void Random_layouts_get_unique_guids()
    {
        var disk = GptWriter.Plan(ApplianceLayout(512 * MiB, GuidSource.Random));
        var again = GptWriter.Plan(ApplianceLayout(512 * MiB, GuidSource.Random));

        var guids = disk.Partitions.Select(p => p.PartitionGuid).Append(disk.DiskGuid)
            .Concat(again.Partitions.Select(p => p.PartitionGuid)).Append(again.DiskGuid).ToList();
        Assert.Equal(guids.Count, guids.Distinct().Count());
    }

    [Fact]
    public void Explicit_guids_are_kept()
    {
        var diskGuid = Guid.NewGuid();
        var rootGuid = Guid.NewGuid();
        var layout = ApplianceLayout(512 * MiB, GuidSource.Random) with { DiskGuid = diskGuid };
        layout = layout with { Partitions = [.. layout.Partitions.Take(2), layout.Partitions[2] with { PartitionGuid = rootGuid }] };

        var disk = GptWriter.Plan(layout);

        Assert.Equal(diskGuid, disk.DiskGuid);
        Assert.Equal(rootGuid, disk.Partition("root").PartitionGuid);
    }

    [Fact]
    public void A_partition_that_does_not_fit_is_named()
    {
        var layout = new GptLayout(64 * MiB,
            [new PartitionSpec("esp", GptPartitionTypes.EfiSystem, 32 * MiB), new PartitionSpec("big", GptPartitionTypes.LinuxFilesystem, 32 * MiB)],
            GuidSource.Random);

        var error = Assert.Throws<InputException>(() => GptWriter.Plan(layout));

        Assert.Contains("partitions[1] (big).size: does not fit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_mistakes_are_all_reported()
    {
        var layout = new GptLayout(64 * MiB + 100,
        [
            new PartitionSpec("rest", GptPartitionTypes.LinuxFilesystem, null),
            new PartitionSpec("rest", GptPartitionTypes.LinuxFilesystem, 0),
            new PartitionSpec(new string('x', 37), Guid.Empty, MiB),
        ], GuidSource.Random);

        var error = Assert.Throws<InputException>(() => GptWriter.Plan(layout));

        Assert.Equal(
        [
            "disk size", "partitions[0] (rest).size", "partitions[1] (rest).name", "partitions[1] (rest).size",
            $"partitions[2] ({new string('x', 37)}).name", $"partitions[2] ({new string('x', 37)}).type",
        ], error.Problems.Select(p => p.Field));
    }

    /// <summary>Every byte the writer puts on a disk (the rest stays zero): LBA 0-33 and the last 33 sectors.</summary>
    private static byte[] Structures(GuidSource guids)
    {
        var disk = GptWriter.Plan(ApplianceLayout(512 * MiB, guids));
        using var stream = new MemoryStream();
        stream.SetLength(disk.SizeBytes);
        GptWriter.WriteStructures(stream, disk);
        var bytes = stream.GetBuffer();
        return [.. bytes[..(34 * 512)], .. bytes[(int)(disk.BackupEntriesLba * 512)..(int)disk.SizeBytes]];
    }
}
