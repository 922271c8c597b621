using System.Text;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Repository.Sealed;

/// <summary>The <c>sha256sum</c> list format (<c>digest␠␠name</c> per line), used by <c>repo_complete</c> and the bundle's <c>.sha256</c>.</summary>
public static class ChecksumList
{
    /// <summary>One line per file, sorted by name (ordinal), so that <c>sha256sum -c</c> checks them.</summary>
    public static string Format(IEnumerable<RepoFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var text = new StringBuilder();
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append(file.Sha256.ToLowerInvariant()).Append("  ").Append(file.Name).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Parses a list of plain file names (no directories); on failure <paramref name="error"/> names the line.</summary>
    public static bool TryParse(string text, out IReadOnlyList<ChecksumEntry> entries, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<ChecksumEntry>();
        entries = list;
        error = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
            {
                continue;
            }

            // sha256sum writes "digest  name" (text mode) or "digest *name" (binary mode).
            var valid = line.Length > 66 && Checksums.IsSha256(line[..64]) && line[64] == ' ' && line[65] is ' ' or '*';
            var name = valid ? line[66..] : "";
            if (!valid || name.Contains('/', StringComparison.Ordinal) || name.StartsWith('\\') || name is "." or "..")
            {
                error = $"line {i + 1}: expected '<sha256>  <file name>', got '{(line.Length <= 80 ? line : line[..80] + "…")}'";
                return false;
            }

            list.Add(new ChecksumEntry(line[..64].ToLowerInvariant(), name));
        }

        return true;
    }
}
