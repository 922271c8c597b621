using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Net;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Brings a component's release asset into the content-addressed cache: a remote asset from the cache when its SHA-256 is pinned
/// and present (no network), else from its source (GitHub release, URL); a local file is always read, so an edited file never hides
/// behind its old pin. Every pin is checked before the asset is used.</summary>
public sealed class BinaryAssets(Downloader downloader, GitHubReleases github, PackageCache cache)
{
    /// <summary>The asset of <paramref name="component"/>, matching every expectation; nothing enters the cache under a wrong hash.</summary>
    public async Task<AcquiredAsset> AcquireAsync(BinarySpec component, IReadOnlyList<AssetExpectation> expectations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(expectations);
        if (component.Source is not LocalFileSource && expectations.Count > 0 && await CachedAsync(expectations[0].Sha256, cancellationToken) is { } cached)
        {
            var name = expectations.Select(e => e.Name).OfType<string>().FirstOrDefault() ?? DefaultName(component);
            var hit = new AcquiredAsset(cached, name, new FileInfo(cached).Length, expectations[0].Sha256, CanonicalOrigin(component, name), FromCache: true);
            Check(component, hit, expectations);
            return hit;
        }

        var temp = Path.Combine(cache.Root, "tmp", $"asset-{Guid.NewGuid():N}");
        try
        {
            var acquired = await FromSourceAsync(component, temp, cancellationToken);
            Check(component, acquired, expectations);
            var entry = cache.PathFor(acquired.Sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            File.Move(temp, entry, overwrite: true);
            File.SetUnixFileMode(entry, PackageCache.EntryMode);
            return acquired with { Path = entry };
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task<AcquiredAsset> FromSourceAsync(BinarySpec component, string temp, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
        switch (component.Source)
        {
            case LocalFileSource local:
                if (!File.Exists(local.Path))
                {
                    throw new InputException(local.Path, $"{component.Label}: no such file");
                }

                File.Copy(local.Path, temp);
                return new AcquiredAsset(temp, Path.GetFileName(local.Path), new FileInfo(temp).Length,
                    await Checksums.Sha256FileAsync(temp, cancellationToken), new Uri(Path.GetFullPath(local.Path)), FromCache: false);
            case UrlSource url:
                return await DownloadAsync(component, url.Url, url.FileName, null, temp, cancellationToken);
            case GitHubReleaseSource release:
                var asset = await github.FindAssetAsync(component, release, cancellationToken);
                return await DownloadAsync(component, asset.DownloadUrl, asset.Name, asset.Size, temp, cancellationToken);
            default:
                throw new InvalidOperationException($"unknown source {component.Source}");
        }
    }

    private async Task<AcquiredAsset> DownloadAsync(BinarySpec component, Uri uri, string name, long? size, string temp, CancellationToken cancellationToken)
    {
        var result = await downloader.DownloadAsync(uri, temp, new ExpectedContent(component.Label, size, null), null, cancellationToken);
        return new AcquiredAsset(temp, name, result.Size, result.Sha256, uri, FromCache: false);
    }

    private static void Check(BinarySpec component, AcquiredAsset asset, IReadOnlyList<AssetExpectation> expectations)
    {
        foreach (var expected in expectations.Where(e => !string.Equals(e.Sha256, asset.Sha256, StringComparison.OrdinalIgnoreCase)))
        {
            throw new IntegrityException($"{component.Label}: SHA-256 of {asset.Name} ({asset.Origin}) is {asset.Sha256}, but {expected.PinnedBy} pins {expected.Sha256}");
        }
    }

    /// <summary>The cache entry with this SHA-256 after re-hashing it, or null; a damaged entry is removed.</summary>
    private async Task<string?> CachedAsync(string sha256, CancellationToken cancellationToken)
    {
        var path = cache.PathFor(sha256);
        if (!File.Exists(path))
        {
            return null;
        }

        if (string.Equals(await Checksums.Sha256FileAsync(path, cancellationToken), sha256, StringComparison.OrdinalIgnoreCase))
        {
            return path;
        }

        File.Delete(path);
        return null;
    }

    private static string DefaultName(BinarySpec component) => component.Source switch
    {
        UrlSource url => url.FileName,
        LocalFileSource local => Path.GetFileName(local.Path),
        GitHubReleaseSource release => release.AssetPattern,
        _ => component.Name,
    };

    /// <summary>Where the asset lives when it was taken from the cache: GitHub's own download URL form for releases.</summary>
    private static Uri CanonicalOrigin(BinarySpec component, string name) => component.Source switch
    {
        UrlSource url => url.Url,
        LocalFileSource local => new Uri(Path.GetFullPath(local.Path)),
        GitHubReleaseSource { Tag: GitHubReleaseSource.Latest } release =>
            new Uri($"https://github.com/{release.Owner}/{release.Repository}/releases/latest/download/{Uri.EscapeDataString(name)}"),
        GitHubReleaseSource release =>
            new Uri($"https://github.com/{release.Owner}/{release.Repository}/releases/download/{Uri.EscapeDataString(release.Tag)}/{Uri.EscapeDataString(name)}"),
        _ => throw new InvalidOperationException($"unknown source {component.Source}"),
    };
}
