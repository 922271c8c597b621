using System.IO.Compression;

namespace Pigsty.Appliance.Testing;

/// <summary>Small files that decompress to a great deal: what a hostile bundle carries.</summary>
public static class CompressionBomb
{
    private const int Chunk = 1 << 20;

    /// <summary>A gzip member that inflates to <paramref name="size"/> zero bytes (a multiple of 1 MiB), about 1/1000 of that.</summary>
    /// <remarks>
    /// One deflate block of 1 MiB of zeros ends with a sync flush (on a byte boundary), so copies of it can follow each other:
    /// making 4 GiB of bomb costs a 4 MiB copy, not 4 GiB of compression. The trailer's CRC is left zero: nothing should read that far.
    /// </remarks>
    public static byte[] Gzip(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(size % Chunk, 0);
        byte[] block;
        using (var buffer = new MemoryStream())
        {
            using (var deflate = new DeflateStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                deflate.Write(new byte[Chunk]);
                deflate.Flush();
                block = buffer.ToArray();
            }
        }

        using var output = new MemoryStream();
        output.Write([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]);
        for (long i = 0; i < size / Chunk; i++)
        {
            output.Write(block);
        }

        // The final (empty, fixed-Huffman) block, then CRC-32 and the size modulo 2^32.
        output.Write([0x03, 0x00, 0, 0, 0, 0]);
        output.Write(BitConverter.GetBytes((uint)size));
        return output.ToArray();
    }

    /// <summary>Creates a sparse file of <paramref name="size"/> zero bytes: costs no disk, compresses to almost nothing.</summary>
    public static string SparseZeros(string path, long size)
    {
        using var file = File.Create(path);
        file.SetLength(size);
        return path;
    }
}
