using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>Content-addressed .deb cache: one read-only file per SHA-256, re-verified on every hit before use.</summary>
public sealed class PackageCache(string root)
{
    /// <summary>Owner and others may read; nobody writes through a hard link by accident.</summary>
    internal const UnixFileMode EntryMode = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The cache directory.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary><c>$XDG_CACHE_HOME/pigsty-appliance</c> when XDG_CACHE_HOME is an absolute path, else <c>~/.cache/pigsty-appliance</c>.</summary>
    public static string DefaultRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var cache = xdg is { Length: > 0 } && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "pigsty-appliance");
    }

    /// <summary>Where the entry with this SHA-256 lives.</summary>
    public string PathFor(string sha256)
    {
        var digest = sha256.ToLowerInvariant();
        return Path.Combine(Root, "debs", "sha256", digest[..2], digest);
    }

    /// <summary>Checks the entry for <paramref name="package"/> by size and full SHA-256; a mismatching entry is deleted.</summary>
    internal async Task<CacheLookup> LookupAsync(PackageRecord package, CancellationToken cancellationToken)
    {
        var path = PathFor(package.Sha256);
        string actual;
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            if (stream.Length != package.Size)
            {
                actual = "";
            }
            else
            {
                actual = await Checksums.Sha256Async(stream, cancellationToken);
            }
        }
        catch (FileNotFoundException)
        {
            return CacheLookup.Miss;
        }
        catch (DirectoryNotFoundException)
        {
            return CacheLookup.Miss;
        }

        if (string.Equals(actual, package.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return CacheLookup.Hit;
        }

        File.Delete(path);
        return CacheLookup.Corrupt;
    }
}
