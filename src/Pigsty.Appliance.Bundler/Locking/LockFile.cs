using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Bundler.Locking;

/// <summary>The exact package set a recipe resolved to; no timestamps, so it only changes when its content does.</summary>
public sealed record LockFile(
    [property: JsonPropertyName("recipe")] string Recipe,
    [property: JsonPropertyName("arch")] string Architecture,
    [property: JsonPropertyName("requested")] IReadOnlyList<string> Requested,
    [property: JsonPropertyName("packages")] IReadOnlyList<LockedPackage> Packages)
{
    /// <summary>The file name for a recipe: <c>repo-manifests/&lt;recipe&gt;.&lt;machine&gt;.lock.json</c>.</summary>
    public static string FileName(string recipe, string machine) => $"{recipe}.{machine}.lock.json";

    /// <summary>What changed from <paramref name="older"/> to this lock, one line per package, for people to read.</summary>
    public IReadOnlyList<string> Changes(LockFile older)
    {
        ArgumentNullException.ThrowIfNull(older);
        var before = older.Packages.ToDictionary(p => (p.Name, p.Architecture));
        var after = Packages.ToDictionary(p => (p.Name, p.Architecture));
        var lines = new List<string>();
        foreach (var (key, package) in after.OrderBy(p => p.Key.Name, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(key, out var old))
            {
                lines.Add($"+ {package}");
            }
            else if (old != package)
            {
                lines.Add($"~ {package.Name}/{package.Architecture}: {old.Version} → {package.Version}");
            }
        }

        lines.AddRange(before.Where(p => !after.ContainsKey(p.Key)).OrderBy(p => p.Key.Name, StringComparer.Ordinal).Select(p => $"- {p.Value}"));
        return lines;
    }
}
