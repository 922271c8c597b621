using System.Collections;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>
/// The packages of one index, kept as slots of a few bytes each: where the paragraph is, hashes of its name and of its
/// <c>name=version/arch</c>, its architecture, whether it belongs to the required base, and its Provides. The indexer reads a
/// paragraph back whole (<see cref="IndexedPackage"/>), checked to still be the package the slot was made from.
/// </summary>
/// <remarks>
/// A bookworm index holds 63,000 paragraphs of which a bundle uses a few hundred: the resolver looks packages up by name and reads
/// back only those it visits, so the index costs about 48 bytes per package instead of its objects and strings (the Bundle's peak
/// memory is measured against Pigsty's pipeline by Bench).
/// </remarks>
public sealed class PackageList(PackagesFile file) : IReadOnlyList<IndexedPackage>
{
    private Slot[] _slots = new Slot[256];
    private byte[] _provides = new byte[1024];
    private int _providesLength;

    /// <summary>The index the slots point into.</summary>
    public PackagesFile File { get; } = file;

    /// <summary>How many packages the index lists.</summary>
    public int Count { get; private set; }

    /// <summary>The package of slot <paramref name="index"/>, read back whole from the index.</summary>
    public IndexedPackage this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            var slot = _slots[index];
            return IndexedPackage.ReadBack(File, slot.Offset, slot.Length, slot.Key);
        }
    }

    /// <summary>The slot's name hash (<see cref="NameHash"/>), for lookups by name without reading the index.</summary>
    internal ulong NameHashAt(int index) => _slots[index].Name;

    /// <summary>Where the slot's paragraph is, and the hash of its <c>name=version/arch</c> to check it against when read back.</summary>
    internal (long Offset, int Length, ulong Key) PlaceAt(int index) => (_slots[index].Offset, _slots[index].Length, _slots[index].Key);

    /// <summary>The slot's architecture (shared strings: <c>amd64</c>, <c>all</c>…).</summary>
    internal string ArchitectureAt(int index) => _slots[index].Architecture;

    /// <summary>True when the package is <c>Essential: yes</c> or <c>Priority: required</c>.</summary>
    internal bool RequiredAt(int index) => _slots[index].Required;

    /// <summary>The slot's Provides field as it was in the index, or null when it has none.</summary>
    internal string? ProvidesAt(int index) =>
        _slots[index].ProvidesLength == 0 ? null : System.Text.Encoding.UTF8.GetString(_provides, _slots[index].ProvidesStart, _slots[index].ProvidesLength);

    internal void Add(long offset, int length, string name, string version, string architecture, bool essential, bool required,
        ReadOnlySpan<byte> provides)
    {
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        if (_providesLength + provides.Length > _provides.Length)
        {
            Array.Resize(ref _provides, Math.Max(_provides.Length * 2, _providesLength + provides.Length));
        }

        provides.CopyTo(_provides.AsSpan(_providesLength));
        _slots[Count++] = new Slot(offset, length, NameHash(name), KeyHash(name, version, architecture), architecture, essential || required,
            _providesLength, provides.Length);
        _providesLength += provides.Length;
    }

    /// <summary>Drops the spare capacity left by doubling, once the index is read.</summary>
    internal void Trim()
    {
        Array.Resize(ref _slots, Count);
        Array.Resize(ref _provides, _providesLength);
    }

    /// <inheritdoc/>
    public IEnumerator<IndexedPackage> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>64-bit FNV-1a of a package name: equal names hash equal; a different name with the same hash is told apart when read back.</summary>
    public static ulong NameHash(ReadOnlySpan<char> name) => Fnv(14695981039346656037UL, name);

    /// <summary>The hash of <c>name=version/arch</c> a read-back paragraph must still have.</summary>
    internal static ulong KeyHash(string name, string version, string architecture) =>
        Fnv(Fnv(Fnv(Fnv(NameHash(name), "="), version), "/"), architecture);

    private static ulong Fnv(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private readonly record struct Slot(long Offset, int Length, ulong Name, ulong Key, string Architecture, bool Required,
        int ProvidesStart, int ProvidesLength);
}
