using System.Text.Json;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>The proofs that passed, one small file beside the package and index cache, so an unchanged repo is not proven again.</summary>
/// <remarks>
/// Beside the cache rather than in the work directory: a record is keyed by content (<see cref="ProofKey"/>), so it holds for any checkout
/// and work directory that builds the same repo, as a cached package does, and it survives a clean of artifacts/. Never in the bundle: a
/// site cannot check a build host's claim, and the record would change the very <c>repo_complete</c> its key is computed from.
/// A record is trusted only when its key equals the digest computed now; a file that does not parse or holds a malformed record is
/// ignored as a whole (with a note), the proofs run, and the file is written anew.
/// </remarks>
public sealed class ProofCache(string path)
{
    /// <summary>The file's name in the cache directory.</summary>
    public const string FileName = "proofs.json";

    /// <summary>How many passed proofs are kept (newest first): enough for several recipes and checkouts, still a small file.</summary>
    public const int Capacity = 32;

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, IndentSize = 2, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Where the records live.</summary>
    public string Path { get; } = path;

    /// <summary>The cache of the proofs of builds that use <paramref name="cacheDirectory"/>.</summary>
    public static ProofCache In(string cacheDirectory) => new(System.IO.Path.Combine(cacheDirectory, FileName));

    /// <summary>The passed proof recorded for <paramref name="key"/>, if any, and why the file was ignored when it was.</summary>
    public async Task<ProofLookup> FindAsync(string key, CancellationToken cancellationToken)
    {
        var (records, ignored) = await ReadAsync(cancellationToken);
        return new ProofLookup(records.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal)), ignored);
    }

    /// <summary>Records a proof that passed, atomically, replacing an earlier record of the same key and dropping the oldest beyond <see cref="Capacity"/>.</summary>
    public async Task RememberAsync(ProofRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var (records, _) = await ReadAsync(cancellationToken);
        await WriteAsync([record, .. records.Where(r => !string.Equals(r.Key, record.Key, StringComparison.Ordinal))], cancellationToken);
    }

    /// <summary>Drops the record of <paramref name="key"/> before its proofs run again, so a failing proof never leaves an earlier pass standing.</summary>
    public async Task ForgetAsync(string key, CancellationToken cancellationToken)
    {
        var (records, ignored) = await ReadAsync(cancellationToken);
        var kept = records.Where(r => !string.Equals(r.Key, key, StringComparison.Ordinal)).ToList();
        if (kept.Count != records.Count || ignored is not null)
        {
            await WriteAsync(kept, cancellationToken);
        }
    }

    private async Task WriteAsync(IEnumerable<ProofRecord> records, CancellationToken cancellationToken) =>
        await AtomicFile.WriteAllTextAsync(Path, JsonSerializer.Serialize(new ProofFile(records.Take(Capacity).ToList()), Options) + "\n", cancellationToken);

    /// <summary>The records, or none and the reason when the file is not one we wrote (a half-trusted file is not trusted at all).</summary>
    private async Task<(IReadOnlyList<ProofRecord> Records, string? Ignored)> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return ([], null);
        }

        ProofFile? file;
        try
        {
            await using var stream = File.OpenRead(Path);
            file = await JsonSerializer.DeserializeAsync<ProofFile>(stream, Options, cancellationToken);
        }
        catch (JsonException e)
        {
            return ([], $"{Path} is not a proof record file ({e.Message}); ignored, the proofs run");
        }

        if (file?.Proofs is not { } proofs)
        {
            return ([], $"{Path} holds no list of proofs; ignored, the proofs run");
        }

        if (!proofs.All(IsWellFormed))
        {
            return ([], $"{Path} holds a malformed record; ignored as a whole, the proofs run");
        }

        return (proofs, null);
    }

    private static bool IsWellFormed(ProofRecord? record) =>
        record is { Installs: > 0, Recipe: not null } && record.Key is not null && Checksums.IsSha256(record.Key) && record.Key == record.Key.ToLowerInvariant();

    private sealed record ProofFile(IReadOnlyList<ProofRecord> Proofs);
}
