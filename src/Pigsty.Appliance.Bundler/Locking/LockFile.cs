using System.Text.Json.Serialization;

namespace Pigsty.Appliance.Bundler.Locking;

/// <summary>The exact package set a recipe resolved to; no timestamps, so it only changes when its content does.</summary>
public sealed record LockFile(
    [property: JsonPropertyName("recipe")] string Recipe,
    [property: JsonPropertyName("arch")] string Architecture,
    [property: JsonPropertyName("requested")] IReadOnlyList<string> Requested,
    [property: JsonPropertyName("packages")] IReadOnlyList<LockedPackage> Packages)
{
    /// <summary>Pinned release assets of binary components; absent (null) in locks written before binaries existed, and when there are none.</summary>
    [JsonPropertyName("binaries")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LockedBinary>? Binaries { get; init; }

    /// <summary>The pin for binary component <paramref name="name"/>, or null.</summary>
    public LockedBinary? FindBinary(string name) => Binaries?.FirstOrDefault(b => b.Name == name);

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
        var pinnedBefore = (older.Binaries ?? []).ToDictionary(b => b.Name, StringComparer.Ordinal);
        var pinnedAfter = (Binaries ?? []).ToDictionary(b => b.Name, StringComparer.Ordinal);
        foreach (var (name, pin) in pinnedAfter.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            lines.Add(!pinnedBefore.TryGetValue(name, out var old) ? $"+ binary {pin}" : old != pin ? $"~ binary {name}: {old} → {pin}" : "");
        }

        lines.AddRange(pinnedBefore.Where(p => !pinnedAfter.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"- binary {p.Value}"));
        return lines.Where(l => l.Length > 0).ToList();
    }
}
