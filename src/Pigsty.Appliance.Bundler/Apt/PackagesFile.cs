using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>An uncompressed Packages index that was read: its source, how errors name it, and where its bytes are to read a paragraph again.</summary>
/// <remarks>The parser keeps only what the resolver reads; the whole paragraph of a chosen package is read back from here.</remarks>
public sealed class PackagesFile
{
    private readonly string? _path;
    private readonly byte[]? _content;

    private PackagesFile(AptSource source, string label, string? path, byte[]? content)
    {
        Source = source;
        Label = label;
        _path = path;
        _content = content;
    }

    /// <summary>The apt source whose signed Release vouched for the index.</summary>
    public AptSource Source { get; }

    /// <summary>How errors name the index, e.g. <c>debian bookworm main/binary-amd64/Packages</c>.</summary>
    public string Label { get; }

    /// <summary>The index file, or null for one held in memory.</summary>
    public string? Path => _path;

    /// <summary>An index kept as a file (the index cache): paragraphs are read back from it by offset.</summary>
    public static PackagesFile OnDisk(string path, AptSource source, string label) => new(source, label, path, null);

    /// <summary>A small index held in memory (tests, indexes written here).</summary>
    public static PackagesFile InMemory(byte[] content, AptSource source, string label) => new(source, label, null, content);

    /// <summary>The bytes of one paragraph; an index file that shrank since it was read is an integrity error.</summary>
    internal byte[] Read(long offset, int length)
    {
        var bytes = new byte[length];
        if (_content is not null)
        {
            _content.AsSpan(checked((int)offset), length).CopyTo(bytes);
            return bytes;
        }

        using var handle = File.OpenHandle(_path!);
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), offset + read);
            if (n == 0)
            {
                throw new IntegrityException($"{Label}: {_path} is shorter than when it was read; remove it from the index cache and run again");
            }

            read += n;
        }

        return bytes;
    }
}
