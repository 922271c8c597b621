using System.Text;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>A command line for a unit's <c>ExecStart=</c>/<c>ExecReload=</c>, built from a program and its arguments one by one.</summary>
public static class ExecLine
{
    /// <summary>The usual <c>ExecReload=</c> of daemons that re-read their configuration on SIGHUP.</summary>
    public const string SignalHup = "/bin/kill -HUP $MAINPID";

    /// <summary>
    /// The program (with systemd's prefixes such as <c>-</c> or <c>!</c> as written) and its quoted arguments. An option without
    /// <c>=</c> and the value that follows it stay together; more than two such groups go one per continuation line, so long flag lists
    /// stay readable in the unit.
    /// </summary>
    public static string Of(string program, params IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(arguments);
        var groups = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var group = Quote(arguments[i]);
            if (arguments[i].StartsWith('-') && !arguments[i].Contains('=', StringComparison.Ordinal) && i + 1 < arguments.Count && !arguments[i + 1].StartsWith('-'))
            {
                group += " " + Quote(arguments[++i]);
            }

            groups.Add(group);
        }

        var text = new StringBuilder(program.Replace("%", "%%", StringComparison.Ordinal));
        var separator = groups.Count > 2 ? " \\\n    " : " ";
        foreach (var group in groups)
        {
            text.Append(separator).Append(group);
        }

        return text.ToString();
    }

    /// <summary>
    /// One argument as systemd reads it: <c>%</c> and <c>$</c> doubled, quoted when it holds spaces, quotes, backslashes or
    /// <c>;</c>; an argument that is exactly a variable reference such as <c>$MAINPID</c> stays a reference.
    /// </summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 1 && argument[0] == '$' && argument.Skip(1).All(c => char.IsAsciiLetterUpper(c) || c == '_'))
        {
            return argument;
        }

        var escaped = argument.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        return escaped.Length > 0 && !escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or ';')
            ? escaped
            : "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
