using System.Text;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>The digest a proof stands for: the sealed repo's content (from <c>repo_complete</c>), what the proofs ask of it and the tools they run with.</summary>
public static class ProofKey
{
    // Bumped when the proofs themselves change, so a record from an older proof is not trusted.
    private const string Version = "pigsty-appliance proof v2";

    // Rewritten by every build (Release date, signatures, manifest time) without changing a package or an index apt reads.
    private static readonly HashSet<string> Dated = new([RepoLayout.Release, RepoLayout.InRelease, RepoLayout.ReleaseGpg, RepoLayout.Manifest], StringComparer.Ordinal);

    /// <summary>SHA-256 over every file <c>repo_complete</c> lists (except the dated release files and manifest), the packages to install,
    /// the ones to bootstrap and the <paramref name="tools"/> the proofs run with.</summary>
    public static async Task<string> ComputeAsync(string repoDir, IReadOnlyList<string> installable, IReadOnlyList<string> bootstrap, string tools,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(installable);
        ArgumentNullException.ThrowIfNull(bootstrap);
        ArgumentNullException.ThrowIfNull(tools);
        var marker = Path.Combine(repoDir, RepoLayout.Marker);
        if (!File.Exists(marker))
        {
            throw new IntegrityException($"{marker} is missing: only a sealed repo can be proven");
        }

        if (!ChecksumList.TryParse(await File.ReadAllTextAsync(marker, cancellationToken), out var entries, out var error))
        {
            throw new IntegrityException($"{marker}: {error}");
        }

        var text = new StringBuilder(Version).Append('\n');
        foreach (var entry in entries.Where(e => !Dated.Contains(e.Name)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            text.Append("file ").Append(entry.Sha256).Append(' ').Append(entry.Name).Append('\n');
        }

        foreach (var name in installable.Order(StringComparer.Ordinal))
        {
            text.Append("install ").Append(name).Append('\n');
        }

        foreach (var name in bootstrap.Order(StringComparer.Ordinal))
        {
            text.Append("bootstrap ").Append(name).Append('\n');
        }

        foreach (var line in tools.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal))
        {
            text.Append("tool ").Append(line).Append('\n');
        }

        return Checksums.Sha256(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
