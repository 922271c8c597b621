using System.IO.Compression;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Installer.ToDisk;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.ToDisk;

/// <summary>The image written onto a "disk" (a file that reads as zeros, as blkdiscard --zeroout leaves a real one) from the medium's gzip file.</summary>
public sealed class ImageWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Two chunks of data around a run of zeros, like a sparse disk image.</summary>
    private byte[] Raw()
    {
        var raw = new byte[5 * ImageWriter.ChunkBytes];
        Random.Shared.NextBytes(raw.AsSpan(0, 1000));
        Random.Shared.NextBytes(raw.AsSpan(4 * ImageWriter.ChunkBytes + 17, 5000));
        return raw;
    }

    private async Task<InstallImage> MediumAsync(byte[] raw, string name = "image.img.gz")
    {
        var path = _temp.File(name);
        await using (var file = File.Create(path))
        await using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(raw);
        }

        return new InstallImage("0.1.0", "image.img", raw.Length, Checksums.Sha256(raw), name, await Checksums.Sha256FileAsync(path, CancellationToken.None));
    }

    private string Disk(long bytes)
    {
        var path = _temp.File("disk");
        using var file = File.Create(path);
        file.SetLength(bytes);
        return path;
    }

    [Fact]
    public async Task The_disk_holds_the_image_byte_for_byte_and_only_its_data_chunks_were_written()
    {
        var raw = Raw();
        var image = await MediumAsync(raw);
        var disk = Disk(8 * ImageWriter.ChunkBytes);

        var written = await ImageWriter.WriteAsync(image, _temp.File(image.File), disk, null, CancellationToken.None);

        Assert.Equal(2L * ImageWriter.ChunkBytes, written);
        var back = await File.ReadAllBytesAsync(disk);
        Assert.Equal(raw, back.AsSpan(0, raw.Length).ToArray());
        Assert.Equal(8L * ImageWriter.ChunkBytes, back.Length);
    }

    [Fact]
    public async Task A_tampered_medium_file_fails_naming_it_and_leaves_no_partition_table_behind()
    {
        var raw = Raw();
        var image = await MediumAsync(raw);
        var path = _temp.File(image.File);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^9] ^= 0xFF; // inside gzip's trailer (its CRC): the data decompresses, the file is not the one the manifest names
        await File.WriteAllBytesAsync(path, bytes);
        var disk = Disk(8 * ImageWriter.ChunkBytes);

        var error = await Assert.ThrowsAnyAsync<ApplianceException>(() => ImageWriter.WriteAsync(image, path, disk, null, CancellationToken.None));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("installer medium is damaged", error.Message, StringComparison.Ordinal);
        var back = await File.ReadAllBytesAsync(disk);
        Assert.True(back.AsSpan(0, 1 << 20).IndexOfAnyExcept((byte)0) < 0, "the first MiB still holds data");
    }

    [Fact]
    public async Task A_truncated_medium_file_fails_before_the_disk_could_boot()
    {
        var raw = Raw();
        var image = await MediumAsync(raw);
        var path = _temp.File(image.File);
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var disk = Disk(8 * ImageWriter.ChunkBytes);

        var error = await Assert.ThrowsAnyAsync<ApplianceException>(() => ImageWriter.WriteAsync(image, path, disk, null, CancellationToken.None));

        Assert.Contains("installer medium is damaged", error.Message, StringComparison.Ordinal);
        Assert.True((await File.ReadAllBytesAsync(disk)).AsSpan(0, 1 << 20).IndexOfAnyExcept((byte)0) < 0);
    }
}
