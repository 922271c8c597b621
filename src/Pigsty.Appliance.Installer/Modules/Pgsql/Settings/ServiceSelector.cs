using System.Text.Json;
using System.Text.Json.Nodes;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>
/// The JMESPath filters Pigsty's services use to pick instances (<c>selector</c>, <c>backup</c>): <c>[]</c> for all, or
/// <c>[? expr ]</c> where expr compares instance variables (<c>pg_role == `primary`</c>) with <c>==</c>, <c>!=</c>, <c>&lt;</c>,
/// <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, combined by <c>&amp;&amp;</c>, <c>||</c>, <c>!</c> and parentheses; a bare variable is tested
/// for JMESPath truth. Literals are <c>`json`</c> (a bare word counts as a string, as JMESPath allows) or <c>'raw string'</c>.
/// </summary>
public sealed class ServiceSelector
{
    private readonly Func<Func<string, JsonNode?>, bool> _test;

    private ServiceSelector(string text, Func<Func<string, JsonNode?>, bool> test)
    {
        Text = text;
        _test = test;
    }

    /// <summary>The selector as written.</summary>
    public string Text { get; }

    /// <summary>Every instance.</summary>
    public static ServiceSelector All { get; } = new("[]", _ => true);

    /// <summary>No instance (a service without <c>backup</c>).</summary>
    public static ServiceSelector None { get; } = new("", _ => false);

    /// <summary>Parses a selector; anything outside the subset is an input error at <paramref name="value"/>.</summary>
    public static ServiceSelector Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.AsString().Trim();
        try
        {
            var parser = new Parser(text);
            return new ServiceSelector(text, parser.Selector());
        }
        catch (FormatException e)
        {
            throw value.Error($"selector '{text}' is not supported: {e.Message} (expected [] or [? expr ] with ==, !=, <, >, &&, ||, ! and `literals`)");
        }
    }

    /// <summary>True when the instance whose variables <paramref name="field"/> gives is selected.</summary>
    public bool Matches(Func<string, JsonNode?> field) => _test(field);

    /// <summary>JMESPath truth: false, null, empty strings, lists and objects are false; anything else (numbers too) is true.</summary>
    private static bool Truthy(JsonNode? node) => node switch
    {
        null => false,
        JsonArray array => array.Count > 0,
        JsonObject obj => obj.Count > 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length > 0,
        _ => true,
    };

    private static int? Compare(JsonNode? a, JsonNode? b) =>
        a is JsonValue x && b is JsonValue y && x.TryGetValue<double>(out var p) && y.TryGetValue<double>(out var q) ? p.CompareTo(q) : null;

    private sealed class Parser(string text)
    {
        private int _at;

        public Func<Func<string, JsonNode?>, bool> Selector()
        {
            Expect("[");
            if (TryTake("]"))
            {
                End();
                return _ => true;
            }

            Expect("?");
            var expression = Or();
            Expect("]");
            End();
            return expression;
        }

        private Func<Func<string, JsonNode?>, bool> Or()
        {
            var left = And();
            while (TryTake("||"))
            {
                var (l, r) = (left, And());
                left = f => l(f) || r(f);
            }

            return left;
        }

        private Func<Func<string, JsonNode?>, bool> And()
        {
            var left = Not();
            while (TryTake("&&"))
            {
                var (l, r) = (left, Not());
                left = f => l(f) && r(f);
            }

            return left;
        }

        private Func<Func<string, JsonNode?>, bool> Not()
        {
            if (TryTake("!") )
            {
                var inner = Not();
                return f => !inner(f);
            }

            if (TryTake("("))
            {
                var inner = Or();
                Expect(")");
                return inner;
            }

            var left = Operand();
            foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
            {
                if (TryTake(op))
                {
                    var right = Operand();
                    return op switch
                    {
                        "==" => f => JsonNode.DeepEquals(left(f), right(f)),
                        "!=" => f => !JsonNode.DeepEquals(left(f), right(f)),
                        "<" => f => Compare(left(f), right(f)) < 0,
                        "<=" => f => Compare(left(f), right(f)) <= 0,
                        ">" => f => Compare(left(f), right(f)) > 0,
                        _ => f => Compare(left(f), right(f)) >= 0,
                    };
                }
            }

            return f => Truthy(left(f));
        }

        private Func<Func<string, JsonNode?>, JsonNode?> Operand()
        {
            Skip();
            if (_at >= text.Length)
            {
                throw new FormatException("unexpected end");
            }

            if (text[_at] is '`' or '\'')
            {
                var quote = text[_at];
                var end = text.IndexOf(quote, _at + 1);
                if (end < 0)
                {
                    throw new FormatException($"unclosed {quote}");
                }

                var literal = text[(_at + 1)..end];
                _at = end + 1;
                var node = quote == '\'' ? JsonValue.Create(literal) : Json(literal);
                return _ => node?.DeepClone();
            }

            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] == '_'))
            {
                _at++;
            }

            if (start == _at || char.IsAsciiDigit(text[start]))
            {
                throw new FormatException($"expected a variable name or a literal at position {start + 1}");
            }

            var name = text[start.._at];
            return f => f(name);
        }

        /// <summary>A backtick literal is JSON; a bare word that is not JSON counts as a string (JMESPath's legacy rule).</summary>
        private static JsonNode? Json(string literal)
        {
            try
            {
                return JsonNode.Parse(literal);
            }
            catch (JsonException)
            {
                return JsonValue.Create(literal.Trim());
            }
        }

        private void Expect(string token)
        {
            if (!TryTake(token))
            {
                throw new FormatException($"expected '{token}' at position {_at + 1}");
            }
        }

        private bool TryTake(string token)
        {
            Skip();
            if (string.CompareOrdinal(text, _at, token, 0, token.Length) != 0)
            {
                return false;
            }

            // '!' must not swallow the first half of '!='.
            if (token == "!" && _at + 1 < text.Length && text[_at + 1] == '=')
            {
                return false;
            }

            _at += token.Length;
            return true;
        }

        private void End()
        {
            Skip();
            if (_at < text.Length)
            {
                throw new FormatException($"unexpected '{text[_at..]}'");
            }
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }
    }

    public override string ToString() => Text.Length == 0 ? "none" : Text;
}
