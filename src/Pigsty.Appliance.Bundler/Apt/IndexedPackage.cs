using System.Buffers.Binary;
using System.Text;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One package version of a signed index: what the resolver reads, and where its whole paragraph is.</summary>
/// <remarks>
/// An index is kept as a <see cref="PackageList"/> of small slots; a package is read back into one of these only when the resolver
/// visits it (a few hundred of bookworm's 63,000), and <see cref="ReadRecord"/> reads the whole paragraph (Filename, Size, SHA256,
/// Description…) of the chosen ones.
/// </remarks>
public sealed class IndexedPackage
{
    /// <summary>The relation fields kept (for the resolver), in the order of their ids in the packed field bytes.</summary>
    public static readonly IReadOnlyList<string> RelationFields = ["Provides", "Depends", "Pre-Depends", "Recommends", "Conflicts", "Breaks"];

    private readonly long _offset;
    private readonly int _length;
    private readonly byte[]? _relations;

    internal IndexedPackage(PackagesFile file, string name, string version, string architecture, string? priority, bool essential,
        string? multiArch, byte[]? relations, long offset, int length)
    {
        File = file;
        Name = name;
        Version = version;
        Architecture = architecture;
        Priority = priority;
        Essential = essential;
        MultiArch = multiArch;
        _relations = relations;
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

    /// <summary>Where the paragraph is in <see cref="File"/>.</summary>
    internal (long Offset, int Length) Place => (_offset, _length);

    /// <summary>The one paragraph at <paramref name="offset"/>, which must still be the package whose <c>name=version/arch</c> hashes to <paramref name="key"/>.</summary>
    internal static IndexedPackage ReadBack(PackagesFile file, long offset, int length, ulong key)
    {
        var reader = new PackagesReader(file, whole: true, start: offset);
        reader.Feed(file.Read(offset, length));
        reader.Complete();
        if (reader.Packages is not [var package] || PackageList.KeyHash(package.Name, package.Version, package.Architecture) != key)
        {
            var now = reader.Packages.Count == 1 ? $" (it reads {reader.Packages[0]} now)" : "";
            throw new IntegrityException($"{file.Label}: the paragraph at byte {offset} changed since the index was read{now}; remove the index cache and run again");
        }

        return package;
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
