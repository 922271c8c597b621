using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// <c>/etc/hosts</c>: our records in a marked block, every other line kept as it was, except Debian's <c>127.0.1.1</c> line
/// (meant for hosts without a permanent address; with it the hostname would resolve to loopback before the node's IP).
/// </summary>
public static class EtcHostsFile
{
    public const string Path = "/etc/hosts";

    private const string Begin = "# BEGIN pigsty-appliance (NODE): rewritten by the installer, change the inventory instead";
    private const string End = "# END pigsty-appliance";

    /// <summary>What a Debian system without an <c>/etc/hosts</c> would have.</summary>
    private const string Defaults = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n";

    /// <summary>The new file from the current one (null when absent) and our records (<c>ip name...</c>).</summary>
    public static string Render(string? current, IReadOnlyList<string> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        var inBlock = false;
        foreach (var line in (current ?? Defaults).Split('\n'))
        {
            if (line == Begin)
            {
                inBlock = true;
            }
            else if (line == End)
            {
                inBlock = false;
            }
            else if (!inBlock && !line.StartsWith("127.0.1.1", StringComparison.Ordinal))
            {
                text.Append(line).Append('\n');
            }
        }

        // Split leaves one empty piece after the last newline; keep exactly one blank line before our block.
        var kept = text.ToString().TrimEnd('\n');
        var result = new StringBuilder(kept);
        if (kept.Length > 0)
        {
            result.Append("\n\n");
        }

        result.Append(Begin).Append('\n');
        foreach (var record in records)
        {
            result.Append(record).Append('\n');
        }

        return result.Append(End).Append('\n').ToString();
    }
}
