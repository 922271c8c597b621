using System.Text;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary><c>node_aliases</c> as /etc/profile.d/node.alias.sh: one alias per entry, the command single-quoted.</summary>
public static partial class ShellAliases
{
    public const string Path = "/etc/profile.d/node.alias.sh";

    public static string Render(IReadOnlyList<(string Name, string Command)> aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var text = new StringBuilder("# written by pigsty-appliance (NODE): node_aliases\n");
        foreach (var (name, command) in aliases)
        {
            if (!AliasName().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not an alias name", nameof(aliases));
            }

            text.Append("alias ").Append(name).Append("='").Append(command.Replace("'", "'\\''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }

    /// <summary>True for a name the shell accepts as an alias.</summary>
    public static bool IsName(string name) => AliasName().IsMatch(name ?? "");

    [GeneratedRegex("^[A-Za-z0-9_.:+-]+$")]
    private static partial Regex AliasName();
}
