using System.Buffers.Binary;
using System.Text;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One package version of a signed index, kept small: what the resolver reads, and where its whole paragraph is.</summary>
/// <remarks>
/// A bookworm index holds 63,000 paragraphs (50 MB of text) of which a bundle uses a few hundred: the universe keeps this much of
/// each (of the relations only Provides, which it indexes), the other relations are read back from the paragraph the first time the
/// resolver asks, and <see cref="ReadRecord"/> reads the whole paragraph (Filename, Size, SHA256, Description…) of the chosen ones.
/// </remarks>
public sealed class IndexedPackage
{
    /// <summary>The relation fields kept (for the resolver), in the order of their ids in the packed field bytes.</summary>
    public static readonly IReadOnlyList<string> RelationFields = ["Provides", "Depends", "Pre-Depends", "Recommends", "Conflicts", "Breaks"];

    private readonly long _offset;
    private readonly int _length;
    private byte[]? _relations;
    private bool _allRelations;

    internal IndexedPackage(PackagesFile file, string name, string version, string architecture, string? priority, bool essential,
        string? multiArch, byte[]? relations, bool allRelations, long offset, int length)
    {
        File = file;
        Name = name;
        Version = version;
        Architecture = architecture;
        Priority = priority;
        Essential = essential;
        MultiArch = multiArch;
        _relations = relations;
        _allRelations = allRelations;
        _offset = offset;
        _length = length;
    }

    /// <summary>The index the package was read from (its source, and its bytes for <see cref="ReadRecord"/>).</summary>
    public PackagesFile File { get; }

    /// <summary>The apt source whose signed index listed it.</summary>
    public AptSource Source => File.Source;

    /// <summary>Package name.</summary>
    public string Name { get; }

    /// <summary>Debian version string.</summary>
    public string Version { get; }

    /// <summary>amd64, all, …</summary>
    public string Architecture { get; }

    /// <summary>The Priority field, or null when absent.</summary>
    public string? Priority { get; }

    /// <summary>True for <c>Essential: yes</c>.</summary>
    public bool Essential { get; }

    /// <summary>The Multi-Arch field (<c>same</c>, <c>foreign</c>, <c>allowed</c>), or null when absent.</summary>
    public string? MultiArch { get; }

    /// <summary>A relation field (one of <see cref="RelationFields"/>, any case) with continuation lines joined by '\n', or null when absent.</summary>
    public string? Relation(string field)
    {
        var id = RelationId(field);
        if (id < 0)
        {
            throw new ArgumentException($"'{field}' is not kept for the resolver ({string.Join(", ", RelationFields)}); ReadRecord() has the whole paragraph",
                nameof(field));
        }

        if (id != 0 && !_allRelations)
        {
            // The resolver is single-threaded; two threads reading back at once would only store the same bytes twice.
            _relations = ReadRelations();
            _allRelations = true;
        }

        var packed = _relations.AsSpan();
        while (packed.Length > 0)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(packed[1..]);
            if (packed[0] == id)
            {
                return Encoding.UTF8.GetString(packed.Slice(5, length));
            }

            packed = packed[(5 + length)..];
        }

        return null;
    }

    /// <summary>Every relation field of the paragraph, read back from the index and checked to still be this package.</summary>
    private byte[]? ReadRelations()
    {
        var reader = new PackagesReader(File, allRelations: true);
        reader.Feed(File.Read(_offset, _length));
        reader.Complete();
        if (reader.Packages is not [var again] || again.Name != Name || again.Version != Version || again.Architecture != Architecture)
        {
            throw Changed();
        }

        return again._relations;
    }

    private IntegrityException Changed() =>
        new($"{File.Label}: the paragraph of {this} changed since the index was read; remove the index cache and run again");

    /// <summary>The whole record: the paragraph read back from the index, checked to still be this package.</summary>
    public PackageRecord ReadRecord()
    {
        var bytes = File.Read(_offset, _length);
        var stanza = ControlStanza.ParseAll(new StringReader(Encoding.UTF8.GetString(bytes))).SingleOrDefault();
        if (stanza is null || stanza["Package"] != Name || stanza["Version"] != Version || stanza["Architecture"] != Architecture)
        {
            throw Changed();
        }

        var filename = stanza["Filename"];
        var size = stanza["Size"];
        var sha256 = stanza["SHA256"];
        if (filename is null || !PackagesParser.IsSafeRelativePath(Encoding.UTF8.GetBytes(filename))
            || !long.TryParse(size, System.Globalization.NumberStyles.None, null, out var bytesLong)
            || sha256 is null || !Core.IO.Checksums.IsSha256(sha256))
        {
            throw new IntegrityException($"{File.Label}: the paragraph of {this} no longer has a valid Filename, Size and SHA256");
        }

        return new PackageRecord(Name, Version, Architecture, filename, bytesLong, sha256.ToLowerInvariant(), Source, stanza);
    }

    /// <summary><c>name=version/arch</c>.</summary>
    public override string ToString() => $"{Name}={Version}/{Architecture}";

    /// <summary>The id of a kept relation field name (case-insensitive, as deb822 says), or -1.</summary>
    internal static int RelationId(ReadOnlySpan<char> name)
    {
        for (var i = 0; i < RelationFields.Count; i++)
        {
            if (name.Equals(RelationFields[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
