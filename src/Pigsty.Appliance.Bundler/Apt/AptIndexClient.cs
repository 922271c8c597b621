using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Apt;
using SharpCompress.Common;
using SharpCompress.Compressors.Xz;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>Reads signed apt suites: (In)Release verified by gpgv, Packages indexes checked against it, parsed into records.</summary>
public sealed class AptIndexClient(Downloader downloader, IProcessRunner runner, ILogger<AptIndexClient> logger, AptIndexOptions options)
{
    private readonly AptIndexOptions _options = options;
    private readonly ReleaseVerifier _verifier = new(runner);

    /// <summary>Reads several sources at once; the result keeps their order.</summary>
    public async Task<IReadOnlyList<AptIndex>> LoadAllAsync(IEnumerable<AptSource> sources, CancellationToken cancellationToken) =>
        await Task.WhenAll(sources.Select(source => LoadAsync(source, cancellationToken)));

    /// <summary>Fetches, verifies and parses one suite; any signature, validity or hash problem throws <see cref="IntegrityException"/>.</summary>
    public async Task<AptIndex> LoadAsync(AptSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.BaseUri.AbsoluteUri.EndsWith('/'))
        {
            throw new ArgumentException($"the base URI of {source.Upstream} must end with '/': {source.BaseUri}", nameof(source));
        }

        Directory.CreateDirectory(_options.CacheDirectory);
        var work = Directory.CreateTempSubdirectory("pigsty-index-").FullName;
        try
        {
            var release = await LoadReleaseAsync(source, work, cancellationToken);
            var lists = new List<IReadOnlyList<IndexedPackage>>();
            var parseTime = TimeSpan.Zero;
            foreach (var index in IndexPaths(source))
            {
                var (read, elapsed) = await LoadPackagesAsync(source, release, index, cancellationToken);
                lists.Add(read);
                parseTime += elapsed;
            }

            var loaded = new AptIndex(source, release, lists, parseTime);
            logger.LogInformation("{Upstream} {Suite}: {Count} packages (parsed in {Elapsed} ms)",
                source.Upstream, source.Suite, loaded.Packages.Count, (int)parseTime.TotalMilliseconds);
            return loaded;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A flat repository (suite ending in '/') has its files beside the Release; a normal one under <c>dists/</c>.</summary>
    private static Uri SuiteUri(AptSource source) =>
        source.Suite.EndsWith('/') ? new Uri(source.BaseUri, source.Suite) : new Uri(source.BaseUri, $"dists/{source.Suite}/");

    private static IEnumerable<string> IndexPaths(AptSource source) => source.Suite.EndsWith('/')
        ? ["Packages"]
        : source.Components.Select(component => $"{component}/binary-{source.Architecture}/Packages");

    private async Task<ReleaseFile> LoadReleaseAsync(AptSource source, string work, CancellationToken cancellationToken)
    {
        var suiteUri = SuiteUri(source);
        var label = $"{source.Upstream} {source.Suite}";
        byte[] verified;
        var inRelease = await TryGetAsync(new Uri(suiteUri, "InRelease"), $"{label} InRelease", cancellationToken);
        if (inRelease is not null)
        {
            var path = Path.Combine(work, "InRelease");
            await File.WriteAllBytesAsync(path, inRelease, cancellationToken);
            verified = await _verifier.VerifyClearSignedAsync(path, source.Keyring, $"{label} InRelease ({suiteUri}InRelease)", cancellationToken);
        }
        else
        {
            var plain = await TryGetAsync(new Uri(suiteUri, "Release"), $"{label} Release", cancellationToken)
                ?? throw new UpstreamException($"{label}: neither InRelease nor Release exists under {suiteUri}");
            var signature = await TryGetAsync(new Uri(suiteUri, "Release.gpg"), $"{label} Release.gpg", cancellationToken)
                ?? throw new IntegrityException($"{label}: {suiteUri}Release is not signed (no InRelease, no Release.gpg)");
            var releasePath = Path.Combine(work, "Release");
            var signaturePath = Path.Combine(work, "Release.gpg");
            await File.WriteAllBytesAsync(releasePath, plain, cancellationToken);
            await File.WriteAllBytesAsync(signaturePath, signature, cancellationToken);
            await _verifier.VerifyDetachedAsync(releasePath, signaturePath, source.Keyring, $"{label} Release ({suiteUri}Release)", cancellationToken);
            verified = plain;
        }

        if (!ReleaseFile.TryParse(Encoding.UTF8.GetString(verified), out var release, out var error))
        {
            throw new UpstreamException($"{label}: the signed Release of {suiteUri} is malformed: {error}");
        }

        CheckIdentity(source, release, label);
        if (release.ValidUntil is { } until && !_options.IgnoreValidUntil && until < _options.Clock.GetUtcNow())
        {
            throw new IntegrityException($"{label}: the Release of {suiteUri} expired on {until:u} (Valid-Until): " +
                "the mirror is stale or replaying an old index");
        }

        return release;
    }

    /// <summary>A signed Release of another suite (e.g. an old one replayed) must not stand in for the one asked for.</summary>
    private static void CheckIdentity(AptSource source, ReleaseFile release, string label)
    {
        if (source.Suite.EndsWith('/') || (release.Suite is null && release.Codename is null))
        {
            return;
        }

        if (!string.Equals(release.Suite, source.Suite, StringComparison.Ordinal)
            && !string.Equals(release.Codename, source.Suite, StringComparison.Ordinal))
        {
            throw new IntegrityException($"{label}: the signed Release is for Suite '{release.Suite}' / Codename '{release.Codename}', " +
                $"not '{source.Suite}'");
        }
    }

    private async Task<(IReadOnlyList<IndexedPackage> Packages, TimeSpan Elapsed)> LoadPackagesAsync(AptSource source,
        ReleaseFile release, string index, CancellationToken cancellationToken)
    {
        var label = $"{source.Upstream} {source.Suite} {index}";
        var entry = new[] { ".gz", ".xz", "" }
            .Select(extension => release.Files.GetValueOrDefault(index + extension))
            .FirstOrDefault(e => e is not null)
            ?? throw new UpstreamException($"{label}: the Release of {source.Upstream} {source.Suite} lists no {index}(.gz|.xz)");
        var plain = release.Files.GetValueOrDefault(index);

        // Kept uncompressed under its own SHA-256 (when the Release lists it): a warm run reads and hashes it once, with no
        // download and no decompression, and the chosen packages' whole paragraphs are read back from it after resolving.
        var target = Path.Combine(_options.CacheDirectory, plain is null ? entry.Sha256 + ".unpacked" : plain.Sha256);
        var clock = Stopwatch.StartNew();
        if (plain is not null && File.Exists(target) && new FileInfo(target).Length == plain.Size
            && await TryReadCachedAsync(target, plain, source, label, cancellationToken) is { } cached)
        {
            return (cached, clock.Elapsed);
        }

        var file = await FetchAsync(source, release, entry, label, cancellationToken);
        clock.Restart();
        if (!string.Equals(file, target, StringComparison.Ordinal))
        {
            await DecompressAsync(source, file, entry, plain, target, label, cancellationToken);
        }

        var (packages, _, _) = await PackagesParser.ReadFileAsync(target, source, label, cancellationToken);
        return (packages, clock.Elapsed);
    }

    /// <summary>The packages of a cached uncompressed index whose SHA-256 still matches the Release, or null (the file is removed) when it does not.</summary>
    private async Task<IReadOnlyList<IndexedPackage>?> TryReadCachedAsync(string path, ReleaseEntry plain, AptSource source, string label,
        CancellationToken cancellationToken)
    {
        try
        {
            var (packages, sha256, _) = await PackagesParser.ReadFileAsync(path, source, label, cancellationToken);
            if (sha256 == plain.Sha256)
            {
                logger.LogDebug("{Label}: cached {Path}", label, path);
                return packages;
            }
        }
        catch (UpstreamException)
        {
            // A damaged cache file may not even parse; only the hash decides whether the index itself is bad.
            if (await Checksums.Sha256FileAsync(path, cancellationToken) == plain.Sha256)
            {
                throw;
            }
        }

        logger.LogWarning("{Label}: the cached {Path} does not match the Release; reading the index again", label, path);
        File.Delete(path);
        return null;
    }

    /// <summary>Gets an index file (from the cache when its hash still matches), size and SHA-256 checked against the Release.</summary>
    private async Task<string> FetchAsync(AptSource source, ReleaseFile release, ReleaseEntry entry, string label,
        CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(entry.Path);
        var destination = Path.Combine(_options.CacheDirectory, entry.Sha256 + extension);
        if (File.Exists(destination))
        {
            if (new FileInfo(destination).Length == entry.Size
                && await Checksums.Sha256FileAsync(destination, cancellationToken) == entry.Sha256)
            {
                logger.LogDebug("{Label}: cached {Path}", label, destination);
                return destination;
            }

            File.Delete(destination);
        }

        var expected = new ExpectedContent(label, entry.Size, entry.Sha256);
        var suiteUri = SuiteUri(source);
        var plain = new Uri(suiteUri, entry.Path);
        if (release.AcquireByHash)
        {
            // By-hash survives a mirror sync between our Release and Packages requests; apt falls back to the plain path too.
            var byHash = new Uri(suiteUri, $"{Path.GetDirectoryName(entry.Path)}/by-hash/SHA256/{entry.Sha256}".TrimStart('/'));
            try
            {
                await downloader.DownloadAsync(byHash, destination, expected, null, cancellationToken);
                return destination;
            }
            catch (UpstreamException e) when (IsNotFound(e))
            {
                logger.LogDebug("{Label}: {Uri} not found, using {Plain}", label, byHash, plain);
            }
        }

        await downloader.DownloadAsync(plain, destination, expected, null, cancellationToken);
        return destination;
    }

    /// <summary>Decompresses a verified index file to <paramref name="target"/>, which it becomes only when it matches what the Release lists.</summary>
    private static async Task DecompressAsync(AptSource source, string file, ReleaseEntry entry, ReleaseEntry? plain, string target, string label,
        CancellationToken cancellationToken)
    {
        var temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            switch (Path.GetExtension(entry.Path))
            {
                case ".gz":
                    await DecodeAsync(file, temp, input => new GZipStream(input, CompressionMode.Decompress), "gzip", source, entry, label,
                        cancellationToken);
                    break;

                case ".xz":
                    // bookworm-updates and bookworm-security publish only Packages.xz: SharpCompress decodes it, with no xz program.
                    await DecodeAsync(file, temp, input => new XZStream(input), "xz", source, entry, label, cancellationToken);
                    break;

                default:
                    File.Copy(file, temp);
                    break;
            }

            // Checked before it is parsed or kept: only bytes the signed Release vouches for are read.
            if (plain is not null)
            {
                var length = new FileInfo(temp).Length;
                if (length != plain.Size)
                {
                    throw new IntegrityException($"{label}: decompressed {entry.Path} is {length} bytes, the Release lists {plain.Size}");
                }

                if (await Checksums.Sha256FileAsync(temp, cancellationToken) is var sha256 && sha256 != plain.Sha256)
                {
                    throw new IntegrityException($"{label}: decompressed {entry.Path} has SHA-256 {sha256}, the Release lists {plain.Sha256}");
                }
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Writes what <paramref name="decoder"/> reads from <paramref name="file"/> to <paramref name="temp"/>; damaged data is an
    /// integrity error naming the index's URL and the cached file.</summary>
    private static async Task DecodeAsync(string file, string temp, Func<Stream, Stream> decoder, string format, AptSource source,
        ReleaseEntry entry, string label, CancellationToken cancellationToken)
    {
        await using var input = File.OpenRead(file);
        await using var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        try
        {
            await using var decoded = decoder(input);
            await decoded.CopyToAsync(output, 1 << 20, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or SharpCompressException)
        {
            throw new IntegrityException($"{label}: {new Uri(SuiteUri(source), entry.Path)} is not valid {format} (cached as {file}): {e.Message}");
        }
    }

    private async Task<byte[]?> TryGetAsync(Uri uri, string label, CancellationToken cancellationToken)
    {
        try
        {
            return await downloader.GetBytesAsync(uri, new ExpectedContent(label, null, null), cancellationToken);
        }
        catch (UpstreamException e) when (IsNotFound(e))
        {
            return null;
        }
    }

    private static bool IsNotFound(UpstreamException e) =>
        e.InnerException is HttpRequestException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone };
}
