using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Testing;
using static Pigsty.Appliance.Imaging.Tests.Gpt.TestLayouts;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

public sealed class GptReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string[]> SgdiskLayouts => new()
    {
        { "appliance", ["-n", "1:2048:+1M", "-t", "1:ef02", "-c", "1:BIOS boot", "-A", "1:set:2", "-n", "2:0:+64M", "-t", "2:ef00", "-c", "2:EFI system", "-n", "3:0:0", "-t", "3:8304", "-c", "3:root"] },
        { "gaps and numbering out of order", ["-n", "3:2048:+10M", "-t", "3:8300", "-n", "1:40960:+20M", "-t", "1:0700", "-c", "1:Ünïcode ✓ name", "-A", "1:set:63", "-A", "1:set:60"] },
        { "unaligned, 256 entries", ["-a", "8", "--resize-table=256", "-n", "1:72:+100K", "-t", "1:ef02", "-n", "2:0:+3M", "-n", "4:0:+5M", "-c", "4:thirty-six characters long, exactly!", "-A", "2:set:0"] },
        { "empty table", [] },
    };

    [Theory]
    [MemberData(nameof(SgdiskLayouts))]
    public async Task Reads_disks_that_sgdisk_made(string layout, string[] arguments)
    {
        var image = _temp.File("disk.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(300 * MiB);
        }

        await HostTools.RunAsync("sgdisk", ["-o", .. arguments, image]);

        Assert.True(GptReader.TryRead(image, out var disk, out var problems), layout + ": " + string.Join("; ", problems));
        SfdiskAssert.Matches(disk, await HostTools.SfdiskJsonAsync(image));
    }

    [Fact]
    public void Reads_back_what_the_writer_wrote()
    {
        var image = _temp.File("disk.img");
        var written = GptWriter.Write(image, ApplianceLayout(1024 * MiB, GuidSource.FromSeed("round-trip")));

        Assert.True(GptReader.TryRead(image, out var read, out var problems), string.Join("; ", problems));
        Assert.Equal(written with { Partitions = [] }, read with { Partitions = [] });
        Assert.Equal(written.Partitions, read.Partitions);
    }

    [Fact]
    public void A_corrupt_primary_header_is_reported_and_the_backup_is_used()
    {
        var (image, written) = Write();
        Patch(image, 512 + 40, 0x01);

        Assert.False(GptReader.TryRead(image, out var disk, out var problems));

        var problem = Assert.Single(problems);
        Assert.Equal("primary header (LBA 1)", problem.Where);
        Assert.Matches("^header CRC32 is 0x[0-9A-F]{8} but the header hashes to 0x[0-9A-F]{8}$", problem.Message);
        Assert.NotNull(disk);
        Assert.Equal(written.Partitions, disk.Partitions);
    }

    [Fact]
    public void A_corrupt_entry_array_is_reported_with_both_crcs()
    {
        var (image, _) = Write();
        Patch(image, (2 * 512) + 130, 0x55);

        Assert.False(GptReader.TryRead(image, out _, out var problems));

        var problem = Assert.Single(problems);
        Assert.Equal("primary partition entries (LBA 2)", problem.Where);
        Assert.StartsWith("entry array CRC32 is 0x", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_backup_header_is_reported()
    {
        var (image, written) = Write();
        var lastLba = written.TotalSectors - 1;
        Patch(image, (lastLba * 512) + 3, (byte)'X');

        Assert.False(GptReader.TryRead(image, out var disk, out var problems));

        var problem = Assert.Single(problems);
        Assert.Equal($"backup header (LBA {lastLba})", problem.Where);
        Assert.StartsWith("no GPT signature", problem.Message, StringComparison.Ordinal);
        Assert.Equal(written.Partitions, disk!.Partitions);
    }

    [Fact]
    public void A_disk_grown_after_writing_is_reported()
    {
        var (image, written) = Write();
        using (var file = File.OpenWrite(image))
        {
            file.SetLength(file.Length + MiB);
        }

        Assert.False(GptReader.TryRead(image, out _, out var problems));

        var problem = Assert.Single(problems);
        Assert.Equal(
            $"primary header (LBA 1): backup header is said to be at LBA {written.TotalSectors - 1}, but the disk's last LBA is {written.TotalSectors + 2047}",
            problem.ToString());
    }

    [Fact]
    public void A_missing_protective_mbr_and_both_headers_are_reported()
    {
        var image = _temp.File("zero.img");
        using (var file = File.Create(image))
        {
            file.SetLength(MiB);
        }

        Assert.False(GptReader.TryRead(image, out var disk, out var problems));

        Assert.Null(disk);
        Assert.Equal(
        [
            "protective MBR (LBA 0): no MBR signature (found 0000, expected 55AA)",
            "primary header (LBA 1): no GPT signature at LBA 1 (found 0000000000000000, expected 'EFI PART')",
            "backup header (LBA 2047): no GPT signature at LBA 2047 (found 0000000000000000, expected 'EFI PART')",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public async Task Sgdisk_agrees_that_the_corruption_we_find_is_there()
    {
        var (image, _) = Write();
        Patch(image, 512 + 40, 0x01);

        var verify = await HostTools.TryRunAsync("sgdisk", "-v", image);

        Assert.Contains("Main header: ERROR", verify.StandardOutput + verify.StandardError, StringComparison.Ordinal);
    }

    private (string Image, GptDisk Disk) Write()
    {
        var image = _temp.File("disk.img");
        return (image, GptWriter.Write(image, ApplianceLayout(256 * MiB, GuidSource.Random)));
    }

    private static void Patch(string image, long offset, byte value)
    {
        using var file = File.OpenWrite(image);
        file.Position = offset;
        file.WriteByte(value);
    }
}
