using System.Text.Json;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>The record of the last proof that passed, kept beside the staged repo, so an unchanged repo is not proven again.</summary>
/// <remarks>
/// A record is trusted only when its key equals the digest computed now from the repo and the proof inputs; a record that does
/// not parse, names another digest or was edited to a different key is ignored and the proofs run.
/// </remarks>
public sealed class ProofCache(string path)
{
    /// <summary>The record's file name, beside the repo directory in the work directory.</summary>
    public const string FileName = "proof.json";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, IndentSize = 2, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Where the record lives.</summary>
    public string Path { get; } = path;

    /// <summary>The passed proof for <paramref name="key"/>, or null when there is none to trust.</summary>
    public async Task<ProofRecord?> FindAsync(string key, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(Path);
            var record = await JsonSerializer.DeserializeAsync<ProofRecord>(stream, Options, cancellationToken);
            return record is not null && string.Equals(record.Key, key, StringComparison.Ordinal) && record.Installs > 0 ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Records a proof that passed, atomically, replacing any earlier record.</summary>
    public Task RememberAsync(ProofRecord record, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(Path, JsonSerializer.Serialize(record, Options) + "\n", cancellationToken);

    /// <summary>Drops the record, before proofs run, so a failing proof never leaves an earlier pass standing.</summary>
    public void Forget() => File.Delete(Path);
}
