using System.Text;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>
/// One of our service units: a full unit in <c>/etc/systemd/system</c> (never a drop-in), which takes precedence over a
/// package's unit of the same name in <c>/lib/systemd/system</c>, so package upgrades cannot replace it.
/// </summary>
/// <param name="Name">Unit name with its suffix, e.g. <c>nginx.service</c>.</param>
/// <param name="ExecStart">Program and arguments, one per element; arguments are quoted and escaped for systemd.</param>
public sealed record SystemdUnit(string Name, string Description, IReadOnlyList<string> ExecStart)
{
    /// <summary>Where the unit lives.</summary>
    public string Path => $"/etc/systemd/system/{Name}";

    public IReadOnlyList<string> Documentation { get; init; } = [];

    public IReadOnlyList<string> After { get; init; } = ["network-online.target"];

    public IReadOnlyList<string> Wants { get; init; } = ["network-online.target"];

    /// <summary>systemd service type: <c>simple</c>, <c>notify</c>, <c>forking</c>, <c>exec</c>.</summary>
    public string Type { get; init; } = "simple";

    public string? User { get; init; }

    public string? Group { get; init; }

    /// <summary>Commands run before the daemon (e.g. a config check), each a program and its arguments.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ExecStartPre { get; init; } = [];

    /// <summary>Commands that reload the daemon, each a program and its arguments.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ExecReload { get; init; } = [];

    public string Restart { get; init; } = "on-failure";

    public int RestartSeconds { get; init; } = 5;

    /// <summary>Further <c>[Service]</c> settings in order (limits, capabilities, directories), written as given.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    /// <summary>Other names the unit answers to once enabled (Pigsty's names, e.g. <c>node_exporter.service</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The unit file text.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("# ").Append(Name).Append(": written by pigsty-appliance. A full unit, so package upgrades cannot replace it;\n")
            .Append("# the next install run rewrites it, change the inventory instead.\n")
            .Append("[Unit]\n")
            .Append("Description=").Append(Description).Append('\n');
        Line(text, "Documentation", Documentation);
        Line(text, "After", After);
        Line(text, "Wants", Wants);
        text.Append("\n[Service]\nType=").Append(Type).Append('\n');
        Optional(text, "User", User);
        Optional(text, "Group", Group);
        foreach (var command in ExecStartPre)
        {
            Command(text, "ExecStartPre", command);
        }

        Command(text, "ExecStart", ExecStart);
        foreach (var command in ExecReload)
        {
            Command(text, "ExecReload", command);
        }

        text.Append("Restart=").Append(Restart).Append('\n')
            .Append("RestartSec=").Append(RestartSeconds).Append('\n');
        foreach (var (key, value) in Settings)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }

        text.Append("\n[Install]\nWantedBy=multi-user.target\n");
        Line(text, "Alias", Aliases);
        return text.ToString();
    }

    /// <summary>
    /// One argument as systemd reads it: <c>%</c> and <c>$</c> doubled, quoted when it holds spaces or quotes; an argument that
    /// is exactly a variable reference such as <c>$MAINPID</c> stays a reference.
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

    private static void Line(StringBuilder text, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            text.Append(key).Append('=').AppendJoin(' ', values).Append('\n');
        }
    }

    private static void Optional(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
    }

    /// <summary>A command with one argument per continuation line when it has more than two, so long flag lists stay readable.</summary>
    private static void Command(StringBuilder text, string key, IReadOnlyList<string> command)
    {
        // The program keeps systemd's prefixes (-, !, @, +) as written; only '%' needs escaping in it.
        text.Append(key).Append('=').Append(command[0].Replace("%", "%%", StringComparison.Ordinal));
        var arguments = command.Skip(1).Select(Quote).ToList();
        if (arguments.Count <= 2)
        {
            foreach (var argument in arguments)
            {
                text.Append(' ').Append(argument);
            }
        }
        else
        {
            foreach (var argument in arguments)
            {
                text.Append(" \\\n    ").Append(argument);
            }
        }

        text.Append('\n');
    }
}
