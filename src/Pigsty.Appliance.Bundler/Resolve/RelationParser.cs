using System.Diagnostics.CodeAnalysis;
using Pigsty.Appliance.Bundler.Versions;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>Parses relation fields (Depends, Pre-Depends, Recommends, Conflicts, Breaks, Provides) from untrusted index text.</summary>
public static class RelationParser
{
    /// <summary>Parses a field of comma-separated groups of <c>|</c> alternatives; false with a reason when malformed.</summary>
    public static bool TryParseGroups(string? text, [NotNullWhen(true)] out IReadOnlyList<RelationGroup>? groups,
        [NotNullWhen(false)] out string? error)
    {
        groups = null;
        var result = new List<RelationGroup>();
        if (string.IsNullOrWhiteSpace(text))
        {
            groups = result;
            error = null;
            return true;
        }

        foreach (var entry in text.Split(','))
        {
            var alternatives = new List<Relation>();
            foreach (var alternative in entry.Split('|'))
            {
                if (!TryParseRelation(alternative, out var relation, out error))
                {
                    error = $"'{entry.Trim()}': {error}";
                    return false;
                }

                alternatives.Add(relation);
            }

            result.Add(new RelationGroup(alternatives));
        }

        groups = result;
        error = null;
        return true;
    }

    /// <summary>Parses a Provides field: comma-separated names with an optional <c>(= version)</c>; no alternatives.</summary>
    public static bool TryParseProvides(string? text, [NotNullWhen(true)] out IReadOnlyList<Relation>? provides,
        [NotNullWhen(false)] out string? error)
    {
        provides = null;
        if (!TryParseGroups(text, out var groups, out error))
        {
            return false;
        }

        var result = new List<Relation>(groups.Count);
        foreach (var group in groups)
        {
            var relation = group.Alternatives[0];
            if (group.Alternatives.Count > 1)
            {
                error = $"'{group}': Provides cannot have alternatives";
                return false;
            }

            if (relation.Constraint is { Operator: not VersionOperator.Equal })
            {
                error = $"'{relation}': a provided version must use '='";
                return false;
            }

            result.Add(relation);
        }

        provides = result;
        return true;
    }

    /// <summary>Parses one alternative: <c>name[:arch] [(op version)] [[arch …]] [&lt;profiles&gt;…]</c>.</summary>
    public static bool TryParseRelation(string text, [NotNullWhen(true)] out Relation? relation, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        relation = null;
        var s = text.AsSpan();
        var i = SkipSpace(s, 0);
        var start = i;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '+' or '-' or '.'))
        {
            i++;
        }

        if (i == start)
        {
            error = "expected a package name";
            return false;
        }

        var name = s[start..i].ToString();
        string? qualifier = null;
        if (i < s.Length && s[i] == ':')
        {
            var qualifierStart = ++i;
            while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-'))
            {
                i++;
            }

            if (i == qualifierStart)
            {
                error = $"empty architecture qualifier after '{name}:'";
                return false;
            }

            qualifier = s[qualifierStart..i].ToString();
        }

        i = SkipSpace(s, i);
        VersionConstraint? constraint = null;
        if (i < s.Length && s[i] == '(')
        {
            var close = s[i..].IndexOf(')');
            if (close < 0)
            {
                error = "missing ')'";
                return false;
            }

            if (!TryParseConstraint(s.Slice(i + 1, close - 1), out constraint, out error))
            {
                return false;
            }

            i = SkipSpace(s, i + close + 1);
        }

        var architectures = new List<string>();
        if (i < s.Length && s[i] == '[')
        {
            var close = s[i..].IndexOf(']');
            if (close < 0)
            {
                error = "missing ']'";
                return false;
            }

            architectures.AddRange(s.Slice(i + 1, close - 1).ToString().Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries));
            if (architectures.Count == 0 || architectures.Any(a => a.StartsWith('!')) != architectures.All(a => a.StartsWith('!')))
            {
                error = "an architecture list must be non-empty and either all negated or none";
                return false;
            }

            i = SkipSpace(s, i + close + 1);
        }

        // Build profiles (<!nocheck>) belong to source packages; binary relations never carry them, and they do not affect us.
        while (i < s.Length && s[i] == '<')
        {
            var close = s[i..].IndexOf('>');
            if (close < 0)
            {
                error = "missing '>'";
                return false;
            }

            i = SkipSpace(s, i + close + 1);
        }

        if (i != s.Length)
        {
            error = $"unexpected '{s[i..].Trim().ToString()}' after '{name}'";
            return false;
        }

        relation = new Relation(name, qualifier, constraint, architectures);
        error = null;
        return true;
    }

    private static bool TryParseConstraint(ReadOnlySpan<char> s, [NotNullWhen(true)] out VersionConstraint? constraint,
        [NotNullWhen(false)] out string? error)
    {
        constraint = null;
        s = s.Trim();
        (VersionOperator Op, int Length)? op = s switch
        {
            _ when s.StartsWith("<<") => (VersionOperator.Earlier, 2),
            _ when s.StartsWith("<=") => (VersionOperator.EarlierOrEqual, 2),
            _ when s.StartsWith(">>") => (VersionOperator.Later, 2),
            _ when s.StartsWith(">=") => (VersionOperator.LaterOrEqual, 2),
            _ when s.StartsWith("=") => (VersionOperator.Equal, 1),
            _ when s.StartsWith("<") => (VersionOperator.EarlierOrEqual, 1),
            _ when s.StartsWith(">") => (VersionOperator.LaterOrEqual, 1),
            _ => null,
        };
        if (op is not { } found)
        {
            error = $"expected one of << <= = >= >> in '({s.ToString()})'";
            return false;
        }

        var versionText = s[found.Length..].Trim().ToString();
        if (!DebianVersion.TryParse(versionText, out var version))
        {
            error = $"invalid version '{versionText}'";
            return false;
        }

        constraint = new VersionConstraint(found.Op, version);
        error = null;
        return true;
    }

    private static int SkipSpace(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }
}
