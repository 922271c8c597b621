using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>One package version of the universe: its index entry, parsed version, and relations parsed on first use.</summary>
public sealed class UniversePackage
{
    private IReadOnlyList<RelationGroup>?[]? _relations;
    private DebianVersion? _version;

    internal UniversePackage(IndexedPackage entry, IReadOnlyList<Relation> provides)
    {
        Entry = entry;
        Provides = provides;
    }

    /// <summary>The index entry (name, version, relations; <see cref="IndexedPackage.ReadRecord"/> gives file, hashes and whole stanza).</summary>
    public IndexedPackage Entry { get; }

    /// <summary>The parsed version (parsed on first use: most of the archive is never compared).</summary>
    public DebianVersion Version => _version ??= DebianVersion.TryParse(Entry.Version, out var version)
        ? version
        : throw new UpstreamException($"{Entry.Source.Upstream} {Entry.Source.Suite}: package {Entry}: invalid Version");

    /// <summary>Package name.</summary>
    public string Name => Entry.Name;

    /// <summary>Architecture (<c>amd64</c>, <c>all</c>).</summary>
    public string Architecture => Entry.Architecture;

    /// <summary>The Multi-Arch field.</summary>
    public MultiArch MultiArch => Entry.MultiArch switch
    {
        "same" => MultiArch.Same,
        "foreign" => MultiArch.Foreign,
        "allowed" => MultiArch.Allowed,
        _ => MultiArch.No,
    };

    /// <summary>True for <c>Essential: yes</c>.</summary>
    public bool Essential => Entry.Essential;

    /// <summary>The Priority field (<c>required</c>, <c>important</c>, <c>standard</c>, <c>optional</c>, <c>extra</c>).</summary>
    public string Priority => Entry.Priority ?? "optional";

    /// <summary>Names (with optional <c>= version</c>) this package provides.</summary>
    public IReadOnlyList<Relation> Provides { get; }

    /// <summary>The groups of one relation field; a malformed field throws <see cref="UpstreamException"/> naming the package and its index.</summary>
    public IReadOnlyList<RelationGroup> Relations(RelationKind kind)
    {
        var slot = (int)kind;
        _relations ??= new IReadOnlyList<RelationGroup>?[5];
        if (_relations[slot] is { } parsed)
        {
            return parsed;
        }

        var field = FieldName(kind);
        if (!RelationParser.TryParseGroups(Entry.Relation(field), out var groups, out var error))
        {
            throw new UpstreamException($"{Entry.Source.Upstream} {Entry.Source.Suite}: package {Entry}: malformed {field}: {error}");
        }

        return _relations[slot] = groups;
    }

    /// <summary>The control field name of a relation kind.</summary>
    public static string FieldName(RelationKind kind) => kind switch
    {
        RelationKind.PreDepends => "Pre-Depends",
        RelationKind.Depends => "Depends",
        RelationKind.Recommends => "Recommends",
        RelationKind.Conflicts => "Conflicts",
        _ => "Breaks",
    };

    /// <summary><c>name=version/arch</c>.</summary>
    public override string ToString() => Entry.ToString();
}
