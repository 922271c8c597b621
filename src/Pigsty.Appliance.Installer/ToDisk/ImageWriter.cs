using System.IO.Compression;
using System.Security.Cryptography;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>
/// Writes the medium's gzip-compressed image onto a disk whose image range already reads as zeros: only the chunks holding data
/// are written. The compressed file's SHA-256 and gzip's own CRC are checked as it is read; a mismatch makes the disk unbootable
/// again (its first MiB, the partition table, zeroed) and fails naming the file.
/// </summary>
public static class ImageWriter
{
    public const int ChunkBytes = 4 << 20;

    /// <summary>Writes <paramref name="image"/> from <paramref name="compressed"/> onto <paramref name="target"/>; returns the bytes that held data.</summary>
    public static async Task<long> WriteAsync(InstallImage image, string compressed, string target, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        long total = 0, written = 0;
        string? problem;
        // The medium's file first: one that cannot be opened never gets the disk opened for writing.
        await using var file = new FileStream(compressed, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        await using (var disk = new FileStream(target, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite }))
        {
            using var sha = SHA256.Create();
            try
            {
                await using var hashed = new CryptoStream(file, sha, CryptoStreamMode.Read);
                await using (var gzip = new GZipStream(hashed, CompressionMode.Decompress, leaveOpen: true))
                {
                    var buffer = new byte[ChunkBytes];
                    int read;
                    while ((read = await gzip.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)) > 0)
                    {
                        if (total + read > image.Bytes)
                        {
                            break;
                        }

                        if (buffer.AsSpan(0, read).IndexOfAnyExcept((byte)0) >= 0)
                        {
                            disk.Position = total;
                            await disk.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                            written += read;
                        }

                        total += read;
                        progress?.Report(total);
                    }
                }

                // Whatever follows the gzip stream is hashed too: the SHA-256 covers the whole file.
                await hashed.CopyToAsync(Stream.Null, cancellationToken);
                var actual = Convert.ToHexStringLower(sha.Hash ?? []);
                problem = actual != image.FileSha256 ? $"SHA-256 {actual}, but the medium's manifest says {image.FileSha256}"
                    : total != image.Bytes ? $"it holds {total} bytes of image, the manifest says {image.Bytes}"
                    : null;
            }
            catch (InvalidDataException e)
            {
                problem = $"not a whole gzip stream ({e.Message})";
            }

            if (problem is not null)
            {
                // A disk half written from a damaged medium must not boot: no partition table, no boot code.
                disk.Position = 0;
                await disk.WriteAsync(new byte[1 << 20], cancellationToken);
            }

            disk.Flush(flushToDisk: true);
        }

        return problem is null ? written
            : throw new IntegrityException($"{compressed}: {problem}: the installer medium is damaged; nothing bootable was left on {target}, write the ISO again");
    }
}
