using System.Security.Cryptography;
using System.Text;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>Reads Packages indexes strictly, as a stream, into compact <see cref="IndexedPackage"/> entries; whole records on demand.</summary>
public static class PackagesParser
{
    private const int BlockSize = 1 << 20;

    /// <summary>Streams an uncompressed index file, hashing what it reads; a malformed paragraph throws <see cref="Core.Errors.UpstreamException"/> naming the line.</summary>
    /// <returns>The packages in index order, and the SHA-256 and length of the bytes read (for the caller to check against a Release).</returns>
    public static async Task<(IReadOnlyList<IndexedPackage> Packages, string Sha256, long Length)> ReadFileAsync(string path, AptSource source,
        string label, CancellationToken cancellationToken)
    {
        var reader = new PackagesReader(PackagesFile.OnDisk(path, source, label));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BlockSize];
        long length = 0;
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                reader.Feed(buffer.AsSpan(0, read));
                length += read;
            }
        }

        reader.Complete();
        return (reader.Packages, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>Reads an index held in memory (small indexes, tests).</summary>
    public static IReadOnlyList<IndexedPackage> Read(byte[] content, AptSource source, string label)
    {
        ArgumentNullException.ThrowIfNull(content);
        var reader = new PackagesReader(PackagesFile.InMemory(content, source, label));
        reader.Feed(content);
        reader.Complete();
        return reader.Packages;
    }

    /// <summary>Whole records (every field of every paragraph) of an index held in memory, with the same checks.</summary>
    /// <param name="text">The index text.</param>
    /// <param name="source">The apt source the index was read from (kept in every record).</param>
    /// <param name="label">How errors name the index, e.g. <c>debian bookworm main/binary-amd64/Packages</c>.</param>
    public static IReadOnlyList<PackageRecord> Parse(string text, AptSource source, string label) =>
        Read(Encoding.UTF8.GetBytes(text), source, label).Select(p => p.ReadRecord()).ToList();

    /// <summary>Debian policy 5.6.1: lowercase letters, digits, <c>+ - .</c>, at least two characters, starting alphanumeric.</summary>
    internal static bool IsPackageName(string name) =>
        name.Length >= 2 && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '+' or '-' or '.');

    /// <summary>A pool path we may join to a base URI or a repo directory: relative, no <c>..</c>, no backslash, no control character.</summary>
    internal static bool IsSafeRelativePath(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty || path[0] == (byte)'/' || path.Contains((byte)'\\'))
        {
            return false;
        }

        // Control characters: C0 and DEL in ASCII; C1 (U+0080-U+009F) only exist in the rare name with other characters.
        var control = Ascii.IsValid(path)
            ? path.IndexOfAnyInRange((byte)0, (byte)31) >= 0 || path.Contains((byte)127)
            : Encoding.UTF8.GetString(path).Any(char.IsControl);
        if (control)
        {
            return false;
        }

        foreach (var range in path.Split((byte)'/'))
        {
            var segment = path[range];
            if (segment.IsEmpty || segment.SequenceEqual("."u8) || segment.SequenceEqual(".."u8))
            {
                return false;
            }
        }

        return true;
    }
}
