using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Proof;

/// <summary>A passed proof is reused only for the same repo content and proof inputs, and only from a record that names that digest.</summary>
public sealed class ProofCacheTests : IDisposable
{
    private static readonly string[] Install = ["pgbouncer", "postgresql-17"];
    private static readonly string[] Bootstrap = ["systemd", "linux-image-amd64"];
    private const string Tools = "apt 2.6.1\nmmdebstrap 1.3.5\n";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_recorded_pass_is_found_for_the_same_content_even_when_the_release_date_and_signatures_changed()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Release", "dated-1"), ("InRelease", "sig-1"), ("manifest.json", "time-1"));
        var cache = Cache();
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None);
        await cache.RememberAsync(new ProofRecord(key, "pigsty-d12", 42, true, DateTimeOffset.UnixEpoch), CancellationToken.None);

        SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Release", "dated-2"), ("InRelease", "sig-2"), ("manifest.json", "time-2"));
        var again = await ProofKey.ComputeAsync(repo, [.. Enumerable.Reverse(Install)], Bootstrap, Tools, CancellationToken.None);

        Assert.Equal(key, again);
        var found = await cache.FindAsync(again, CancellationToken.None);
        Assert.Equal(new ProofLookup(new ProofRecord(key, "pigsty-d12", 42, true, DateTimeOffset.UnixEpoch), null), found);
    }

    [Fact]
    public async Task A_changed_package_index_or_key_file_misses()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k"));
        var cache = Cache();
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None);
        await cache.RememberAsync(new ProofRecord(key, "pigsty-d12", 42, true, DateTimeOffset.UnixEpoch), CancellationToken.None);

        foreach (var changed in new (string, string)[][]
        {
            [("libpq5_17.5-1_amd64.deb", "b"), ("Packages", "p"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "q"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "other")],
            [("libpq5_17.5-2_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k")],
            [("libpq5_17.5-1_amd64.deb", "a"), ("Packages", "p"), ("pigsty.gpg", "k"), ("extra_1_all.deb", "e")],
        })
        {
            var now = await ProofKey.ComputeAsync(SealedRepo(changed), Install, Bootstrap, Tools, CancellationToken.None);
            Assert.NotEqual(key, now);
            Assert.Null((await cache.FindAsync(now, CancellationToken.None)).Found);
        }
    }

    [Fact]
    public async Task Other_proof_inputs_miss()
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"));
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None);

        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, [.. Install, "patroni"], Bootstrap, Tools, CancellationToken.None));
        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, Install, Bootstrap, "apt 2.6.2\nmmdebstrap 1.3.5\n", CancellationToken.None));
        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, Install, [], Tools, CancellationToken.None));
        Assert.NotEqual(key, await ProofKey.ComputeAsync(repo, Bootstrap, Install, Tools, CancellationToken.None));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"proofs\": [{\"key\": \"KEY\", \"recipe\": \"pigsty-d12\", \"installs\": 0, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}]}")]
    [InlineData("{\"proofs\": [{\"key\": \"KEY\", \"installs\": 42, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}]}")]
    [InlineData("{\"proofs\": [{\"key\": \"KEY\", \"recipe\": \"pigsty-d12\", \"installs\": 42, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}, null]}")]
    [InlineData("{\"proofs\": [{\"key\": \"KEY\", \"recipe\": \"pigsty-d12\", \"installs\": 42, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}, {\"key\": \"not-a-digest\", \"recipe\": \"x\", \"installs\": 1, \"bootstrapped\": false, \"proven\": \"2026-01-01T00:00:00Z\"}]}")]
    [InlineData("{\"proofs\": null}")]
    [InlineData("null")]
    [InlineData("{\"key\": \"KEY\", \"installs\": 42, \"bootstrapped\": true, \"proven\": \"2026-01-01T00:00:00Z\"}")]
    public async Task A_corrupt_record_file_is_ignored_as_a_whole_with_a_note(string content)
    {
        var repo = SealedRepo(("libpq5_17.5-1_amd64.deb", "a"));
        var key = await ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None);
        var cache = Cache();
        await File.WriteAllTextAsync(cache.Path, content.Replace("KEY", key, StringComparison.Ordinal));

        var lookup = await cache.FindAsync(key, CancellationToken.None);

        Assert.Null(lookup.Found);
        Assert.NotNull(lookup.Ignored);
        Assert.Contains(cache.Path, lookup.Ignored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_of_another_key_is_not_found_and_the_file_is_not_called_corrupt()
    {
        var cache = Cache();
        await cache.RememberAsync(new ProofRecord(new string('0', 64), "pigsty-d12", 42, true, DateTimeOffset.UnixEpoch), CancellationToken.None);

        Assert.Equal(new ProofLookup(null, null), await cache.FindAsync(new string('1', 64), CancellationToken.None));
    }

    [Fact]
    public async Task Records_of_several_repos_are_kept_newest_first_up_to_the_capacity()
    {
        var cache = Cache();
        for (var i = 0; i <= ProofCache.Capacity; i++)
        {
            await cache.RememberAsync(new ProofRecord(Key(i), "pigsty-d12", 1 + i, true, DateTimeOffset.UnixEpoch.AddDays(i)), CancellationToken.None);
        }

        Assert.Null((await cache.FindAsync(Key(0), CancellationToken.None)).Found);
        Assert.Equal(2, (await cache.FindAsync(Key(1), CancellationToken.None)).Found?.Installs);
        Assert.Equal(1 + ProofCache.Capacity, (await cache.FindAsync(Key(ProofCache.Capacity), CancellationToken.None)).Found?.Installs);

        static string Key(int i) => i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Forget_drops_only_that_record()
    {
        var cache = Cache();
        var (one, two) = (new string('1', 64), new string('2', 64));
        await cache.RememberAsync(new ProofRecord(one, "pigsty-d12", 1, false, DateTimeOffset.UnixEpoch), CancellationToken.None);
        await cache.RememberAsync(new ProofRecord(two, "pigsty-d12", 2, false, DateTimeOffset.UnixEpoch), CancellationToken.None);

        await cache.ForgetAsync(one, CancellationToken.None);

        Assert.Null((await cache.FindAsync(one, CancellationToken.None)).Found);
        Assert.Equal(2, (await cache.FindAsync(two, CancellationToken.None)).Found?.Installs);
    }

    [Fact]
    public async Task An_unsealed_or_garbled_repo_has_no_key()
    {
        var repo = Directory.CreateDirectory(_temp.File("unsealed")).FullName;

        var missing = await Assert.ThrowsAsync<IntegrityException>(() => ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None));
        Assert.Contains(RepoLayout.Marker, missing.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(repo, RepoLayout.Marker), "garbage\n");
        var garbled = await Assert.ThrowsAsync<IntegrityException>(() => ProofKey.ComputeAsync(repo, Install, Bootstrap, Tools, CancellationToken.None));
        Assert.Contains("line 1", garbled.Message, StringComparison.Ordinal);
    }

    private ProofCache Cache() => ProofCache.In(_temp.Path);

    private string SealedRepo(params (string Name, string Content)[] files) => MarkerOnlyRepo.Write(_temp.File("repo"), files);
}
