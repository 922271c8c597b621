using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>
/// Reads a Packages index as a stream of UTF-8 blocks split anywhere: checks every line as strictly as a whole-text parse would, and keeps
/// of each paragraph only a slot of a <see cref="PackageList"/> (where it is, hashes of its name and version, its Provides), so memory
/// grows with the packages kept, not with the text. Read back, a paragraph becomes a whole <see cref="IndexedPackage"/>.
/// </summary>
/// <param name="file">The index being read.</param>
/// <param name="whole">Keep each paragraph as an <see cref="IndexedPackage"/> with every relation field (reading one back), not as a slot.</param>
/// <param name="start">Where in the index the bytes fed begin (reading one paragraph back).</param>
internal sealed class PackagesReader(PackagesFile file, bool whole = false, long start = 0)
{
    private const int KeyCount = 6;
    private const int PriorityKey = 6;
    private const int EssentialKey = 7;
    private const int MultiArchKey = 8;
    private const int RelationKey = 9;

    private static readonly string[] KeyNames = ["Package", "Version", "Architecture", "Filename", "Size", "SHA256"];

    /// <summary>The few values Architecture, Priority, Essential and Multi-Arch take, shared rather than allocated 63,000 times.</summary>
    private static readonly string[] Interned =
        ["amd64", "all", "arm64", "i386", "optional", "required", "important", "standard", "extra", "yes", "no", "same", "foreign", "allowed"];

    // One or the other: a read-back (one paragraph, whole) should not allocate a slot list it never fills.
    private readonly List<IndexedPackage> _whole = whole ? [] : null!;
    private readonly PackageList _slots = whole ? null! : new(file);
    private byte[] _carry = new byte[4096];
    private int _carryLength;
    private long _position = start;
    private int _lineNumber;

    // The open paragraph.
    private long _start = -1;
    private long _end;
    private int _startLine;
    private int _seen;
    private int _previousKey = -1;
    private int _relationField = -1;
    private int _relationValueStart;
    private string? _package;
    private string? _version;
    private string? _architecture;
    private string? _priority;
    private string? _essential;
    private string? _multiArch;
    private string? _unsafeFilename;
    private bool _filenameValid;
    private bool _sizeValid;
    private bool _sha256Valid;
    private byte[] _relations = new byte[1024];
    private int _relationsLength;

    /// <summary>The packages of every paragraph completed so far, in index order (a <see cref="PackageList"/> unless reading whole).</summary>
    public IReadOnlyList<IndexedPackage> Packages => whole ? _whole : _slots;

    /// <summary>The next block of the index; lines may be split between blocks.</summary>
    public void Feed(ReadOnlySpan<byte> block)
    {
        if (_carryLength > 0)
        {
            var newline = block.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(block);
                return;
            }

            Carry(block[..(newline + 1)]);
            block = block[(newline + 1)..];
            var line = _carry.AsSpan(0, _carryLength - 1);
            _carryLength = 0;
            Line(line);
            _position += line.Length + 1;
        }

        while (true)
        {
            var newline = block.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Carry(block);
                return;
            }

            Line(block[..newline]);
            _position += newline + 1;
            block = block[(newline + 1)..];
        }
    }

    /// <summary>The end of the index: a last line without a newline and the last paragraph are completed.</summary>
    public void Complete()
    {
        if (_carryLength > 0)
        {
            var line = _carry.AsSpan(0, _carryLength);
            _carryLength = 0;
            Line(line);
            _position += line.Length;
        }

        EndParagraph();
        if (!whole)
        {
            _slots.Trim();
        }
    }

    private void Carry(ReadOnlySpan<byte> part)
    {
        if (_carryLength + part.Length > _carry.Length)
        {
            Array.Resize(ref _carry, Math.Max(_carry.Length * 2, _carryLength + part.Length));
        }

        part.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength += part.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Line(ReadOnlySpan<byte> line)
    {
        _lineNumber++;
        if (!Utf8.IsValid(line))
        {
            throw Malformed(_lineNumber, "not valid UTF-8");
        }

        if (line.IndexOfAnyExcept(" \t\r\f\v"u8) < 0)
        {
            EndParagraph();
            return;
        }

        if (line[0] is (byte)' ' or (byte)'\t')
        {
            if (_start < 0)
            {
                throw Malformed(_lineNumber, "continuation line without a field");
            }

            if (_previousKey >= 0)
            {
                throw Malformed(_lineNumber, $"field {KeyNames[_previousKey]} must be one line");
            }

            if (_relationField >= 0)
            {
                var continuation = line[1..];
                AppendRelation("\n"u8);
                AppendRelation(continuation.SequenceEqual("."u8) ? [] : continuation);
            }

            _end = _position + line.Length;
            return;
        }

        if (line[0] == (byte)'#')
        {
            return;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            throw Malformed(_lineNumber, $"expected 'Field: value', got '{Truncate(line)}'");
        }

        if (_start < 0)
        {
            StartParagraph();
        }

        _end = _position + line.Length;
        CloseRelation();
        var key = KeyIndex(line[..colon]);
        var value = line[(colon + 1)..].Trim(" \t\r\f\v"u8);
        _previousKey = key < KeyCount ? key : -1;
        if (key < 0)
        {
            return;
        }

        if (key < KeyCount)
        {
            if ((_seen & (1 << key)) != 0)
            {
                throw Malformed(_lineNumber, $"field {KeyNames[key]} appears twice in the paragraph starting at line {_startLine}");
            }

            _seen |= 1 << key;
            KeyField(key, value);
        }
        else if ((_seen & (1 << key)) == 0)
        {
            // A repeated optional field: the first one counts, as a field lookup finds it first.
            _seen |= 1 << key;
            switch (key)
            {
                case PriorityKey:
                    _priority = Intern(value);
                    break;
                case EssentialKey:
                    _essential = Intern(value);
                    break;
                case MultiArchKey:
                    _multiArch = Intern(value);
                    break;
                case > RelationKey when !whole:
                    break;
                default:
                    _relationField = key - RelationKey;
                    AppendRelation([(byte)_relationField, 0, 0, 0, 0]);
                    _relationValueStart = _relationsLength;
                    AppendRelation(value);
                    break;
            }
        }
    }

    private void KeyField(int key, ReadOnlySpan<byte> value)
    {
        switch (key)
        {
            case 0:
                _package = Encoding.UTF8.GetString(value);
                break;
            case 1:
                _version = Encoding.UTF8.GetString(value);
                break;
            case 2:
                _architecture = Intern(value);
                break;
            case 3:
                _filenameValid = PackagesParser.IsSafeRelativePath(value);
                _unsafeFilename = _filenameValid ? null : Encoding.UTF8.GetString(value);
                break;
            case 4:
                _sizeValid = long.TryParse(value, System.Globalization.NumberStyles.None, null, out _);
                break;
            default:
                _sha256Valid = value.Length == 64 && value.IndexOfAnyExcept("0123456789abcdefABCDEF"u8) < 0;
                break;
        }
    }

    private void StartParagraph()
    {
        _start = _position;
        _startLine = _lineNumber;
        _seen = 0;
        _package = _version = _architecture = _priority = _essential = _multiArch = _unsafeFilename = null;
        _filenameValid = _sizeValid = _sha256Valid = false;
        _relationsLength = 0;
        _relationField = -1;
    }

    private void EndParagraph()
    {
        if (_start < 0)
        {
            return;
        }

        CloseRelation();
        var what = _package is null ? "paragraph" : $"package '{_package}'";
        if (_package is null || !PackagesParser.IsPackageName(_package))
        {
            throw Malformed(_startLine, _package is null ? "paragraph has no Package field" : $"invalid package name '{_package}'");
        }

        if (_version is null || !DebianVersion.TryParse(_version, out _))
        {
            throw Malformed(_startLine, _version is null ? $"{what} has no Version" : $"{what} has an invalid Version '{_version}'");
        }

        if (string.IsNullOrEmpty(_architecture) || _architecture.Contains(' ', StringComparison.Ordinal))
        {
            throw Malformed(_startLine, $"{what} has no single Architecture");
        }

        if ((_seen & (1 << 3)) == 0 || !_filenameValid)
        {
            throw Malformed(_startLine, (_seen & (1 << 3)) == 0 ? $"{what} has no Filename" : $"{what} has an unsafe Filename '{_unsafeFilename}'");
        }

        if (!_sizeValid)
        {
            throw Malformed(_startLine, $"{what} has no valid Size");
        }

        if (!_sha256Valid)
        {
            throw Malformed(_startLine, $"{what} has no valid SHA256");
        }

        var essential = string.Equals(_essential, "yes", StringComparison.OrdinalIgnoreCase);
        var length = checked((int)(_end - _start));
        if (whole)
        {
            var relations = _relationsLength == 0 ? null : _relations.AsSpan(0, _relationsLength).ToArray();
            _whole.Add(new IndexedPackage(file, _package, _version, _architecture, _priority, essential, _multiArch, relations, _start, length));
        }
        else
        {
            // Only Provides was kept: one packed field, its value after the 5-byte header.
            var provides = _relationsLength == 0 ? [] : _relations.AsSpan(5, _relationsLength - 5);
            _slots.Add(_start, length, _package, _version, _architecture, essential, _priority == "required", provides);
        }

        _start = -1;
        _previousKey = -1;
    }

    private void CloseRelation()
    {
        if (_relationField >= 0)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_relations.AsSpan(_relationValueStart - 4), _relationsLength - _relationValueStart);
            _relationField = -1;
        }
    }

    private void AppendRelation(ReadOnlySpan<byte> bytes)
    {
        if (_relationsLength + bytes.Length > _relations.Length)
        {
            Array.Resize(ref _relations, Math.Max(_relations.Length * 2, _relationsLength + bytes.Length));
        }

        bytes.CopyTo(_relations.AsSpan(_relationsLength));
        _relationsLength += bytes.Length;
    }

    /// <summary>Which field a name is (case-insensitive, as deb822 says): 0-5 the record's, 6-8 the flags, 9+ the relations; -1 for the rest.</summary>
    private static int KeyIndex(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when Ascii.EqualsIgnoreCase(name, "Size"u8) => 4,
        6 when Ascii.EqualsIgnoreCase(name, "SHA256"u8) => 5,
        6 when Ascii.EqualsIgnoreCase(name, "Breaks"u8) => RelationKey + 5,
        7 when Ascii.EqualsIgnoreCase(name, "Package"u8) => 0,
        7 when Ascii.EqualsIgnoreCase(name, "Version"u8) => 1,
        7 when Ascii.EqualsIgnoreCase(name, "Depends"u8) => RelationKey + 1,
        8 when Ascii.EqualsIgnoreCase(name, "Filename"u8) => 3,
        8 when Ascii.EqualsIgnoreCase(name, "Priority"u8) => PriorityKey,
        8 when Ascii.EqualsIgnoreCase(name, "Provides"u8) => RelationKey,
        9 when Ascii.EqualsIgnoreCase(name, "Essential"u8) => EssentialKey,
        9 when Ascii.EqualsIgnoreCase(name, "Conflicts"u8) => RelationKey + 4,
        10 when Ascii.EqualsIgnoreCase(name, "Multi-Arch"u8) => MultiArchKey,
        10 when Ascii.EqualsIgnoreCase(name, "Recommends"u8) => RelationKey + 3,
        11 when Ascii.EqualsIgnoreCase(name, "Pre-Depends"u8) => RelationKey + 2,
        12 when Ascii.EqualsIgnoreCase(name, "Architecture"u8) => 2,
        _ => -1,
    };

    private static string Intern(ReadOnlySpan<byte> value)
    {
        foreach (var known in Interned)
        {
            if (value.Length == known.Length && Ascii.Equals(value, known))
            {
                return known;
            }
        }

        return Encoding.UTF8.GetString(value);
    }

    private UpstreamException Malformed(int line, string message) => new($"{file.Label} line {line}: {message}");

    private static string Truncate(ReadOnlySpan<byte> line) =>
        Encoding.UTF8.GetString(line) is var text && text.Length <= 60 ? text : text[..60] + "…";
}
