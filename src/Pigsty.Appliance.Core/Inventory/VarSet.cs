using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>Inventory variables by name; each value keeps where it was written, for precise errors.</summary>
public sealed class VarSet(IReadOnlyDictionary<string, YamlValue> values, SourceLocation owner, string ownerPath)
{
    /// <summary>An empty set owned by the given place (used in "missing" errors).</summary>
    public static VarSet Empty(SourceLocation owner, string ownerPath) =>
        new(new Dictionary<string, YamlValue>(), owner, ownerPath);

    /// <summary>Every variable in the set, as written (null values included).</summary>
    public IReadOnlyDictionary<string, YamlValue> Values => values;

    /// <summary>Names of every variable in the set.</summary>
    public IEnumerable<string> Names => values.Keys;

    /// <summary>The value of <paramref name="name"/>, or null when it is not set (or set to null).</summary>
    public YamlValue? Find(string name) =>
        values.TryGetValue(name, out var value) && value is not YamlScalar { IsNull: true } ? value : null;

    /// <summary>The value of <paramref name="name"/>; a missing one is an input error at the owner.</summary>
    public YamlValue Require(string name, string why) =>
        Find(name) ?? throw new InputException(Missing(name, why));

    /// <summary>The problem "<paramref name="name"/> is missing" at the owner of this set (where it should be written), and why it is needed.</summary>
    public InputProblem Missing(string name, string why) => new(owner, YamlReader.ChildPath(ownerPath, name), $"missing; {why}");

    /// <summary>A string variable, or <paramref name="fallback"/> when unset.</summary>
    public string String(string name, string fallback) => Find(name)?.AsString() ?? fallback;

    /// <summary>An integer variable, or <paramref name="fallback"/> when unset.</summary>
    public int Int(string name, int fallback) => Find(name)?.AsInt() ?? fallback;

    /// <summary>A boolean variable, or <paramref name="fallback"/> when unset.</summary>
    public bool Bool(string name, bool fallback) => Find(name)?.AsBool() ?? fallback;

    /// <summary>A list of strings (e.g. <c>node_etc_hosts</c>), or <paramref name="fallback"/> when unset.</summary>
    public IReadOnlyList<string> Strings(string name, IReadOnlyList<string> fallback) =>
        Find(name)?.AsSequence().Items.Select(i => i.AsString()).ToList() ?? fallback;

    /// <summary>This set's values, with a missing one reported where <paramref name="other"/> would report it.</summary>
    public VarSet OwnedAs(VarSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new VarSet(values, other.OwnerLocation, other.OwnerPath);
    }

    private SourceLocation OwnerLocation => owner;

    private string OwnerPath => ownerPath;

    /// <summary>A new set with <paramref name="overrides"/> winning over this one's values, owned by the given place.</summary>
    public VarSet With(IReadOnlyDictionary<string, YamlValue> overrides, SourceLocation newOwner, string newOwnerPath)
    {
        var merged = new Dictionary<string, YamlValue>(values, StringComparer.Ordinal);
        foreach (var (name, value) in overrides)
        {
            merged[name] = value;
        }

        return new VarSet(merged, newOwner, newOwnerPath);
    }
}
