using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Apt;

/// <summary>The index client against a small signed archive served on loopback, signed by keys made for the test.</summary>
public sealed class AptIndexClientTests(SigningKeys keys) : IClassFixture<SigningKeys>, IDisposable
{
    private const string Packages = """
        Package: pgbouncer
        Version: 1.18.0-1
        Architecture: amd64
        Depends: libevent-2.1-7 (>= 2.1.8-stable)
        Filename: pool/main/p/pgbouncer/pgbouncer_1.18.0-1_amd64.deb
        Size: 283712
        SHA256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08

        Package: libevent-2.1-7
        Version: 2.1.12-stable-8
        Architecture: amd64
        Filename: pool/main/libe/libevent/libevent-2.1-7_2.1.12-stable-8_amd64.deb
        Size: 180000
        SHA256: 60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752

        """;

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Loads_a_signed_suite_and_parses_its_packages()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted);

        var index = await Client().LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(["pgbouncer", "libevent-2.1-7"], index.Packages.Select(p => p.Name));
        Assert.Equal("bookworm", index.Release.Codename);
        Assert.Equal(new Uri(_server.BaseUri, "debian/pool/main/p/pgbouncer/pgbouncer_1.18.0-1_amd64.deb"), index.Packages[0].ReadRecord().Url);
    }

    [Fact]
    public async Task Parses_only_what_the_signature_covers()
    {
        var signed = Encoding.UTF8.GetString(keys.ClearSign(Release(Gzip(Packages)), keys.Trusted));
        var smuggled = "Codename: evil\nSHA256:\n 00 1 x\n" + signed + "\nSHA256:\n 00 1 main/binary-amd64/Packages.gz\n";
        _server.MapBytes("/debian/dists/bookworm/InRelease", Encoding.UTF8.GetBytes(smuggled));
        _server.MapBytes("/debian/dists/bookworm/main/binary-amd64/Packages.gz", Gzip(Packages));

        var index = await Client().LoadAsync(Source(), CancellationToken.None);

        Assert.Equal("bookworm", index.Release.Codename);
        Assert.Equal(2, index.Packages.Count);
    }

    [Fact]
    public async Task Falls_back_to_release_and_detached_signature()
    {
        var release = Release(Gzip(Packages));
        _server.MapBytes("/debian/dists/bookworm/Release", Encoding.UTF8.GetBytes(release));
        _server.MapBytes("/debian/dists/bookworm/Release.gpg", keys.DetachSign(release, keys.Trusted));
        _server.MapBytes("/debian/dists/bookworm/main/binary-amd64/Packages.gz", Gzip(Packages));

        var index = await Client().LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(2, index.Packages.Count);
        Assert.Equal(1, _server.Hits("/debian/dists/bookworm/InRelease"));
    }

    [Fact]
    public async Task An_unsigned_release_is_refused()
    {
        _server.MapBytes("/debian/dists/bookworm/Release", Encoding.UTF8.GetBytes(Release(Gzip(Packages))));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.StartsWith("debian bookworm: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("Release is not signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_text_inrelease_is_refused()
    {
        _server.MapBytes("/debian/dists/bookworm/InRelease", Encoding.UTF8.GetBytes(Release(Gzip(Packages))));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("debian bookworm InRelease", error.Message, StringComparison.Ordinal);
        Assert.Contains("signature check failed: it is not signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_inrelease_is_refused()
    {
        var signed = Encoding.UTF8.GetString(keys.ClearSign(Release(Gzip(Packages)), keys.Trusted));
        _server.MapBytes("/debian/dists/bookworm/InRelease", Encoding.UTF8.GetBytes(signed.Replace("Codename: bookworm", "Codename: bookwork", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("BAD signature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_signed_by_an_unknown_key_is_refused()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Stranger);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains($"which is not in keyring {keys.Keyring}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_signed_by_an_expired_key_is_refused()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Expired);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("signature check failed: it is signed by the expired key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_keyring_is_refused_before_anything_is_trusted()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted);

        var error = await Assert.ThrowsAsync<IntegrityException>(() =>
            Client().LoadAsync(Source() with { Keyring = _temp.File("none.gpg") }, CancellationToken.None));

        Assert.Contains("none.gpg does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_release_is_refused_unless_told_otherwise()
    {
        Publish(Release(Gzip(Packages), validUntil: "Sat, 21 Nov 2026 00:00:00 UTC"), signWith: keys.Trusted);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));
        var accepted = await Client(new AptIndexOptions { Clock = new FixedClock(Now), IgnoreValidUntil = true, CacheDirectory = _temp.File("cache") })
            .LoadAsync(Source(), CancellationToken.None);

        Assert.Contains("expired on 2026-11-21 00:00:00Z (Valid-Until)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, accepted.Packages.Count);
    }

    [Fact]
    public async Task A_release_for_another_suite_is_refused()
    {
        Publish(Release(Gzip(Packages)).Replace("Codename: bookworm", "Codename: bullseye", StringComparison.Ordinal), signWith: keys.Trusted);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("the signed Release is for Suite 'oldstable' / Codename 'bullseye', not 'bookworm'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_packages_index_that_does_not_match_the_release_is_refused()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted, packagesGz: Gzip(Packages.Replace("1.18.0-1", "1.18.0-2", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("debian bookworm main/binary-amd64/Packages: SHA-256 of", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uses_xz_made_by_the_xz_tool_in_process_when_there_is_no_gz()
    {
        var xz = await Xz(Packages);
        Publish(Release(xz, extension: ".xz"), signWith: keys.Trusted, packagesGz: null, packagesXz: xz);
        var runner = new RecordingRunner(ProcessRunner.Silent);

        var index = await Client(runner: runner).LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(2, index.Packages.Count);
        Assert.Equal(["gpgv"], runner.Programs.Distinct());
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    public async Task A_damaged_xz_index_that_the_release_vouches_for_is_an_error_naming_its_url(string damage)
    {
        var xz = await Xz(Packages);
        xz = damage == "truncated" ? xz[..(xz.Length / 2)] : [.. xz[..40], (byte)(xz[40] ^ 0xff), .. xz[41..]];
        Publish(Release(xz, extension: ".xz"), signWith: keys.Trusted, packagesGz: null, packagesXz: xz);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.StartsWith($"debian bookworm main/binary-amd64/Packages: {_server.BaseUri}debian/dists/bookworm/main/binary-amd64/Packages.xz " +
            "is not valid xz (cached as ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFiles(_temp.File("cache")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_warm_cache_does_not_download_or_decompress_the_packages_index_again()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted);
        var client = Client();

        await client.LoadAsync(Source(), CancellationToken.None);
        File.Delete(Path.Combine(_temp.File("cache"), Checksums.Sha256(Gzip(Packages)) + ".gz"));
        var warm = await client.LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(2, warm.Packages.Count);
        Assert.Equal(1, _server.Hits("/debian/dists/bookworm/main/binary-amd64/Packages.gz"));
        Assert.Equal(2, _server.Hits("/debian/dists/bookworm/InRelease"));
        Assert.Equal(Packages, await File.ReadAllTextAsync(Path.Combine(_temp.File("cache"), Checksums.Sha256(Encoding.UTF8.GetBytes(Packages)))));
    }

    [Fact]
    public async Task A_damaged_cached_index_is_read_again_from_upstream()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted);
        var client = Client();
        await client.LoadAsync(Source(), CancellationToken.None);
        var cached = Path.Combine(_temp.File("cache"), Checksums.Sha256(Encoding.UTF8.GetBytes(Packages)));
        File.Delete(Path.Combine(_temp.File("cache"), Checksums.Sha256(Gzip(Packages)) + ".gz"));

        // Same size, other bytes, and no longer a valid index: the hash, not the parse error, decides.
        await File.WriteAllTextAsync(cached, Packages.Replace("Package: pgbouncer", "Package  pgbouncer", StringComparison.Ordinal));
        var warm = await client.LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(["pgbouncer", "libevent-2.1-7"], warm.Packages.Select(p => p.Name));
        Assert.Equal(2, _server.Hits("/debian/dists/bookworm/main/binary-amd64/Packages.gz"));
        Assert.Equal(Packages, await File.ReadAllTextAsync(cached));
    }

    [Fact]
    public async Task A_decompressed_index_that_does_not_match_the_release_is_refused_and_not_kept()
    {
        var other = Packages.Replace("283712", "283713", StringComparison.Ordinal);
        Publish(Release(Gzip(other)), signWith: keys.Trusted, packagesGz: Gzip(other));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Client().LoadAsync(Source(), CancellationToken.None));

        Assert.Contains("debian bookworm main/binary-amd64/Packages: decompressed main/binary-amd64/Packages.gz has SHA-256", error.Message,
            StringComparison.Ordinal);
        Assert.Equal([Checksums.Sha256(Gzip(other)) + ".gz"], Directory.GetFiles(_temp.File("cache")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Whole_records_are_read_back_from_the_cached_index()
    {
        Publish(Release(Gzip(Packages)), signWith: keys.Trusted);

        var index = await Client().LoadAsync(Source(), CancellationToken.None);
        var record = index.Packages[0].ReadRecord();

        Assert.Equal(("pgbouncer", "1.18.0-1", 283712L, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            (record.Name, record.Version, record.Size, record.Sha256));
        Assert.Equal("libevent-2.1-7 (>= 2.1.8-stable)", record.Stanza["Depends"]);
        Assert.Equal("libevent-2.1-7 (>= 2.1.8-stable)", index.Packages[0].Relation("depends"));
    }

    [Fact]
    public async Task By_hash_paths_are_used_when_the_release_offers_them()
    {
        var gz = Gzip(Packages);
        Publish(Release(gz, byHash: true), signWith: keys.Trusted, packagesGz: null);
        _server.MapBytes($"/debian/dists/bookworm/main/binary-amd64/by-hash/SHA256/{Checksums.Sha256(gz)}", gz);

        var index = await Client().LoadAsync(Source(), CancellationToken.None);

        Assert.Equal(2, index.Packages.Count);
    }

    private AptIndexClient Client(AptIndexOptions? options = null, IProcessRunner? runner = null) =>
        new(new Downloader(_http, NullLogger<Downloader>.Instance, new DownloadOptions { Attempts = 1 }), runner ?? ProcessRunner.Silent,
            NullLogger<AptIndexClient>.Instance, options ?? new AptIndexOptions { Clock = new FixedClock(Now), CacheDirectory = _temp.File("cache") });

    private AptSource Source() =>
        new("debian", new Uri(_server.BaseUri, "debian/"), "bookworm", ["main"], "amd64", keys.Keyring);

    private void Publish(string release, string signWith, byte[]? packagesGz = null, byte[]? packagesXz = null)
    {
        _server.MapBytes("/debian/dists/bookworm/InRelease", keys.ClearSign(release, signWith));
        if (packagesXz is null)
        {
            _server.MapBytes("/debian/dists/bookworm/main/binary-amd64/Packages.gz", packagesGz ?? Gzip(Packages));
        }
        else
        {
            _server.MapBytes("/debian/dists/bookworm/main/binary-amd64/Packages.xz", packagesXz);
        }
    }

    private static string Release(byte[] compressed, string extension = ".gz", string? validUntil = "Sat, 28 Nov 2026 00:53:02 UTC", bool byHash = false)
    {
        var plain = Encoding.UTF8.GetBytes(Packages);
        return $"""
            Origin: Debian
            Suite: oldstable
            Codename: bookworm
            Date: Sat, 21 Nov 2026 00:53:02 UTC
            {(validUntil is null ? "" : $"Valid-Until: {validUntil}\n")}{(byHash ? "Acquire-By-Hash: yes\n" : "")}Architectures: amd64
            Components: main
            SHA256:
             {Checksums.Sha256(plain)} {plain.Length} main/binary-amd64/Packages
             {Checksums.Sha256(compressed)} {compressed.Length} main/binary-amd64/Packages{extension}

            """.Replace("\n\nArchitectures", "\nArchitectures", StringComparison.Ordinal);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }

    private async Task<byte[]> Xz(string text)
    {
        var path = _temp.Write("Packages", text);
        await ProcessRunner.Silent.RunAsync(RealTool.Spec("xz", "--keep", path), CancellationToken.None);
        return await File.ReadAllBytesAsync(path + ".xz");
    }

    /// <summary>Runs the real programs and notes which ran.</summary>
    private sealed class RecordingRunner(IProcessRunner inner) : IProcessRunner
    {
        public List<string> Programs { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            lock (Programs)
            {
                Programs.Add(spec.Tool);
            }

            return inner.RunAsync(spec, cancellationToken);
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
