using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pigsty.Appliance.Bundler.Versions;

/// <summary>A Debian package version <c>[epoch:]upstream[-revision]</c>, ordered exactly as dpkg orders it.</summary>
public sealed class DebianVersion : IComparable<DebianVersion>, IEquatable<DebianVersion>, IComparable
{
    private readonly string _text;
    private int _hash;

    private DebianVersion(string text, int epoch, string upstream, string revision)
    {
        _text = text;
        Epoch = epoch;
        Upstream = upstream;
        Revision = revision;
    }

    /// <summary>The epoch; 0 when the version has none.</summary>
    public int Epoch { get; }

    /// <summary>The upstream part (between the epoch's colon and the last hyphen).</summary>
    public string Upstream { get; }

    /// <summary>The Debian revision after the last hyphen; empty for a native package.</summary>
    public string Revision { get; }

    /// <summary>Parses a version; returns false (never throws) for text dpkg would reject.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DebianVersion? version) =>
        (version = Read(text, out _)) is not null;

    /// <summary>Parses a version or throws <see cref="FormatException"/> saying what is wrong with it.</summary>
    public static DebianVersion Parse(string text) =>
        Read(text, out var error) ?? throw new FormatException($"invalid Debian version '{text}': {error}");

    /// <summary>Compares two version strings as <c>dpkg --compare-versions</c> does; both must be valid.</summary>
    public static int Compare(string left, string right) => Parse(left).CompareTo(Parse(right));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DebianVersion? Read(string? text, out string error)
    {
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "it is empty";
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.AsSpan().ContainsAny(' ', '\t', '\n'))
        {
            error = "it contains white space";
            return null;
        }

        var epoch = 0;
        var rest = trimmed.AsSpan();
        var colon = rest.IndexOf(':');
        if (colon >= 0)
        {
            var epochText = rest[..colon];
            if (epochText.Length == 0 || !int.TryParse(epochText, System.Globalization.NumberStyles.None, null, out epoch))
            {
                error = "the epoch is not a number";
                return null;
            }

            rest = rest[(colon + 1)..];
        }

        var hyphen = rest.LastIndexOf('-');
        var upstream = hyphen >= 0 ? rest[..hyphen] : rest;
        var revision = hyphen >= 0 ? rest[(hyphen + 1)..] : [];
        if (upstream.Length == 0)
        {
            error = "the upstream version is empty";
            return null;
        }

        if (hyphen >= 0 && revision.Length == 0)
        {
            error = "the revision after '-' is empty";
            return null;
        }

        foreach (var c in upstream)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~' or '-' or ':'))
            {
                error = $"character '{c}' is not allowed in the upstream version";
                return null;
            }
        }

        foreach (var c in revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~'))
            {
                error = $"character '{c}' is not allowed in the revision";
                return null;
            }
        }

        return new DebianVersion(trimmed, epoch, upstream.ToString(), revision.ToString());
    }

    public int CompareTo(DebianVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (ReferenceEquals(this, other))
        {
            return 0;
        }

        if (Epoch != other.Epoch)
        {
            return Epoch.CompareTo(other.Epoch);
        }

        var upstream = CompareParts(Upstream, other.Upstream);
        return upstream != 0 ? upstream : CompareParts(Revision, other.Revision);
    }

    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        DebianVersion other => CompareTo(other),
        _ => throw new ArgumentException("not a DebianVersion", nameof(obj)),
    };

    /// <summary>Equal when dpkg calls them equal (so <c>1.0</c> equals <c>0:1.0-0</c> and <c>1.00</c>).</summary>
    public bool Equals(DebianVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is DebianVersion other && Equals(other);

    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var canonical = new StringBuilder().Append(Epoch).Append(':');
            AppendCanonical(canonical, Upstream);
            canonical.Append('-');
            AppendCanonical(canonical, Revision);
            _hash = StringComparer.Ordinal.GetHashCode(canonical.ToString()) | 1;
        }

        return _hash;
    }

    /// <summary>The version as written in the index.</summary>
    public override string ToString() => _text;

    public static bool operator ==(DebianVersion? left, DebianVersion? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(DebianVersion? left, DebianVersion? right) => !(left == right);

    public static bool operator <(DebianVersion? left, DebianVersion? right) => Compare(left, right) < 0;

    public static bool operator <=(DebianVersion? left, DebianVersion? right) => Compare(left, right) <= 0;

    public static bool operator >(DebianVersion? left, DebianVersion? right) => Compare(left, right) > 0;

    public static bool operator >=(DebianVersion? left, DebianVersion? right) => Compare(left, right) >= 0;

    private static int Compare(DebianVersion? left, DebianVersion? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);

    /// <summary>dpkg's verrevcmp: alternating non-digit runs (by <see cref="Order"/>) and numeric runs (by value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CompareParts(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var left = i < a.Length ? Order(a[i]) : 0;
                var right = j < b.Length ? Order(b[j]) : 0;
                if (left != right)
                {
                    return left - right;
                }

                i++;
                j++;
            }

            while (i < a.Length && a[i] == '0')
            {
                i++;
            }

            while (j < b.Length && b[j] == '0')
            {
                j++;
            }

            var firstDifference = 0;
            while (i < a.Length && char.IsAsciiDigit(a[i]) && j < b.Length && char.IsAsciiDigit(b[j]))
            {
                if (firstDifference == 0)
                {
                    firstDifference = a[i] - b[j];
                }

                i++;
                j++;
            }

            if (i < a.Length && char.IsAsciiDigit(a[i]))
            {
                return 1;
            }

            if (j < b.Length && char.IsAsciiDigit(b[j]))
            {
                return -1;
            }

            if (firstDifference != 0)
            {
                return firstDifference;
            }
        }

        return 0;
    }

    /// <summary>'~' sorts before the end of the string, letters before everything else, other symbols after letters.</summary>
    private static int Order(char c) => c switch
    {
        _ when char.IsAsciiDigit(c) => 0,
        _ when char.IsAsciiLetter(c) => c,
        '~' => -1,
        _ => c + 256,
    };

    /// <summary>A form that is the same for every spelling dpkg considers equal: numbers without leading zeros, no trailing zero runs.</summary>
    private static void AppendCanonical(StringBuilder output, string part)
    {
        var pieces = new List<(string Text, string Number)>();
        var i = 0;
        while (i < part.Length)
        {
            var start = i;
            while (i < part.Length && !char.IsAsciiDigit(part[i]))
            {
                i++;
            }

            var text = part[start..i];
            start = i;
            while (i < part.Length && char.IsAsciiDigit(part[i]))
            {
                i++;
            }

            var number = part[start..i].TrimStart('0');
            pieces.Add((text, number));
        }

        while (pieces.Count > 0 && pieces[^1] is { Text.Length: 0, Number.Length: 0 })
        {
            pieces.RemoveAt(pieces.Count - 1);
        }

        foreach (var (text, number) in pieces)
        {
            output.Append(text).Append('#').Append(number).Append('#');
        }
    }
}
