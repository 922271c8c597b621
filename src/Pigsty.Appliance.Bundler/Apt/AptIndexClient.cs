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

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>Reads signed apt suites: (In)Release verified by gpgv, Packages indexes checked against it, parsed into records.</summary>
public sealed class AptIndexClient(Downloader downloader, IProcessRunner runner, ILogger<AptIndexClient> logger, AptIndexOptions? options = null)
{
    private readonly AptIndexOptions _options = options ?? new AptIndexOptions();
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

        var work = Directory.CreateTempSubdirectory("pigsty-index-").FullName;
        try
        {
            var release = await LoadReleaseAsync(source, work, cancellationToken);
            var packages = new List<PackageRecord>();
            var parseTime = TimeSpan.Zero;
            foreach (var index in IndexPaths(source))
            {
                var (records, elapsed) = await LoadPackagesAsync(source, release, index, work, cancellationToken);
                packages.AddRange(records);
                parseTime += elapsed;
            }

            logger.LogInformation("{Upstream} {Suite}: {Count} packages (parsed in {Elapsed} ms)",
                source.Upstream, source.Suite, packages.Count, (int)parseTime.TotalMilliseconds);
            return new AptIndex(source, release, packages, parseTime);
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

    private async Task<(IReadOnlyList<PackageRecord> Records, TimeSpan Elapsed)> LoadPackagesAsync(AptSource source,
        ReleaseFile release, string index, string work, CancellationToken cancellationToken)
    {
        var label = $"{source.Upstream} {source.Suite} {index}";
        var entry = new[] { ".gz", ".xz", "" }
            .Select(extension => release.Files.GetValueOrDefault(index + extension))
            .FirstOrDefault(e => e is not null)
            ?? throw new UpstreamException($"{label}: the Release of {source.Upstream} {source.Suite} lists no {index}(.gz|.xz)");
        var file = await FetchAsync(source, release, entry, work, label, cancellationToken);

        var clock = Stopwatch.StartNew();
        var text = await DecompressAsync(file, entry, work, release.Files.GetValueOrDefault(index), label, cancellationToken);
        var records = PackagesParser.Parse(text, source, label);
        return (records, clock.Elapsed);
    }

    /// <summary>Gets an index file (from the cache when its hash still matches), size and SHA-256 checked against the Release.</summary>
    private async Task<string> FetchAsync(AptSource source, ReleaseFile release, ReleaseEntry entry, string work, string label,
        CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(entry.Path);
        var destination = _options.CacheDirectory is { } cache
            ? Path.Combine(cache, entry.Sha256 + extension)
            : Path.Combine(work, entry.Sha256 + extension);
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

    private async Task<string> DecompressAsync(string file, ReleaseEntry entry, string work, ReleaseEntry? uncompressed, string label,
        CancellationToken cancellationToken)
    {
        byte[] bytes;
        switch (Path.GetExtension(entry.Path))
        {
            case ".gz":
            {
                await using var input = File.OpenRead(file);
                await using var gzip = new GZipStream(input, CompressionMode.Decompress);
                using var output = new MemoryStream(uncompressed is null ? (int)Math.Min(entry.Size * 5, int.MaxValue / 2) : (int)uncompressed.Size);
                try
                {
                    await gzip.CopyToAsync(output, cancellationToken);
                }
                catch (InvalidDataException e)
                {
                    throw new IntegrityException($"{label}: {entry.Path} is not valid gzip: {e.Message}");
                }

                bytes = output.Length == output.Capacity ? output.GetBuffer() : output.ToArray();
                break;
            }

            case ".xz":
            {
                // .NET has no xz decoder; the xz tool is only needed when a Release lists no .gz.
                var copy = Path.Combine(work, Path.GetFileName(file));
                if (!string.Equals(copy, file, StringComparison.Ordinal))
                {
                    File.Copy(file, copy, overwrite: true);
                }

                await runner.RunAsync(new ProcessSpec("xz", ["--decompress", "--force", copy]), cancellationToken);
                bytes = await File.ReadAllBytesAsync(Path.ChangeExtension(copy, null), cancellationToken);
                break;
            }

            default:
                bytes = await File.ReadAllBytesAsync(file, cancellationToken);
                break;
        }

        if (uncompressed is not null && bytes.LongLength != uncompressed.Size)
        {
            throw new IntegrityException($"{label}: decompressed {entry.Path} is {bytes.LongLength} bytes, the Release lists {uncompressed.Size}");
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new UpstreamException($"{label}: {entry.Path} is not valid UTF-8 ({e.Message})");
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
