using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Proof;

/// <summary>A passed proof is reused only for the same repo content and proof inputs, and only from a record that names that digest.</summary>
public sealed class ProofCacheTests : IDisposable
{
    private static readonly string[] Install = ["pgbouncer", "postgresql-17"];
    private static readonly string[] Bootstrap = ["systemd", "linux-image-amd64"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_recorded_pass_is_found_for_the_same_content_even_when_the_release_date_and_signatures_changed()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Release", "dated-1"), ("InRelease", "sig-1"), ("manifest.json", "time-1"));
        var cache = Cache();
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None);
        await cache.RememberAsync(new ProofRecord(key, 42, true, DateTimeOffset.UnixEpoch), CancellationToken.None);

        SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Release", "dated-2"), ("InRelease", "sig-2"), ("manifest.json", "time-2"));
        var again = await ProofKey.ComputeAsync(repo, [.. Enumerable.Reverse(Install)], Bootstrap, CancellationToken.None);

        Assert.Equal(key, again);
        var found = await cache.FindAsync(again, CancellationToken.None);
        Assert.Equal(new ProofRecord(key, 42, true, DateTimeOffset.UnixEpoch), found);
    }

    [Fact]
    public async Task A_changed_package_index_or_key_file_misses()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k"));
        var cache = Cache();
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None);
        await cache.RememberAsync(new ProofRecord(key, 42, true, DateTimeOffset.UnixEpoch), CancellationToken.None);

        foreach (var changed in new (string, string)[][]
        {
            [("libpq5_17.5-1_amd64.deb", "b"), ("Packages", "p"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "q"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "other")],
            [("libpq5_17.5-2_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k"), ("extra_1_all.deb", "e")],
        })
        {
            var now = await ProofKey.ComputeAsync(SealedRepo(changed), Install, Bootstrap, CancellationToken.None);
            Assert.NotEqual(key, now);
            Assert.Null(await cache.FindAsync(now, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Other_proof_inputs_miss()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"));
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None);

        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, [.. Install, "patroni"], Bootstrap, CancellationToken.None));
        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, Install, [], CancellationToken.None));
        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, Bootstrap, Install, CancellationToken.None));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"key\": \"KEY\", \"installs\": 0, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}")]
    [InlineData("{\"key\": \"0000000000000000000000000000000000000000000000000000000000000000\", \"installs\": 42, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}")]
    [InlineData("null")]
    public async Task A_tampered_or_foreign_record_is_not_trusted(string record)
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"));
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None);
        var cache = Cache();
        await File.WriteAllTextAsync(cache.Path, record.Replace("KEY", key, StringComparison.Ordinal));

        Assert.Null(await cache.FindAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task Forget_drops_the_record()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"));
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None);
        var cache = Cache();
        await cache.RememberAsync(new ProofRecord(key, 1, false, DateTimeOffset.UnixEpoch), CancellationToken.None);

        cache.Forget();

        Assert.False(File.Exists(cache.Path));
        Assert.Null(await cache.FindAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task An_unsealed_or_garbled_repo_has_no_key()
    {
        var repo = Directory.CreateDirectory(_temp.File("unsealed")).FullName;

        var missing = await Assert.ThrowsAsync<IntegrityException>(() => ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None));
        Assert.Contains(RepoLayout.Marker, missing.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(repo, RepoLayout.Marker), "garbage\n");
        var garbled = await Assert.ThrowsAsync<IntegrityException>(() => ProofKey.ComputeAsync(repo, Install, Bootstrap, CancellationToken.None));
        Assert.Contains("line 1", garbled.Message, StringComparison.Ordinal);
    }

    private ProofCache Cache() => new(_temp.File(ProofCache.FileName));

    /// <summary>A repo directory holding only its <c>repo_complete</c>: the key reads the marker, never the packages.</summary>
    private string SealedRepo(params (string Name, string Content)[] files)
    {
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        var list = ChecksumList.Format(files.Select(f => new RepoFile(f.Name, f.Content.Length, Checksums.Sha256(System.Text.Encoding.UTF8.GetBytes(f.Content)))));
        File.WriteAllText(Path.Combine(repo, RepoLayout.Marker), list);
        return repo;
    }
}
