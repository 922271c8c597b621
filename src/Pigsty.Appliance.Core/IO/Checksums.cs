using System.Security.Cryptography;

namespace Pigsty.Appliance.Core.IO;

/// <summary>SHA-256 helpers; digests are lowercase hex, the form apt indexes and sha256sum use.</summary>
public static class Checksums
{
    /// <summary>SHA-256 of a byte span.</summary>
    public static string Sha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>SHA-256 of a stream read to its end.</summary>
    public static async Task<string> Sha256Async(Stream stream, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));

    /// <summary>SHA-256 of a file.</summary>
    public static async Task<string> Sha256FileAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read,
            1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await Sha256Async(stream, cancellationToken);
    }

    /// <summary>True when <paramref name="value"/> is 64 hex digits.</summary>
    public static bool IsSha256(string value) => value.Length == 64 && value.All(char.IsAsciiHexDigit);
}
