using System.Text;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// <c>/etc/hosts</c>: each module's records in its own marked block, every other line kept as it was, except Debian's
/// <c>127.0.1.1</c> line (meant for hosts without a permanent address; with it the hostname would resolve to loopback before the node's IP).
/// </summary>
/// <remarks>A block is replaced where it stands and appended only when absent, so two modules' blocks never swap places on a re-run.</remarks>
public static class EtcHostsFile
{
    public const string Path = "/etc/hosts";

    /// <summary>The module that owns the main block (the node's own name, <c>node_etc_hosts</c>).</summary>
    public const string Node = "NODE";

    /// <summary>What a Debian system without an <c>/etc/hosts</c> would have.</summary>
    private const string Defaults = "127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n";

    /// <summary>The new file from the current one (null when absent) and <paramref name="owner"/>'s records (<c>ip name...</c>).</summary>
    public static string Render(string? current, IReadOnlyList<string> records, string owner = Node)
    {
        ArgumentNullException.ThrowIfNull(records);
        var begin = $"# BEGIN pigsty-appliance ({owner}): rewritten by the installer, change the inventory instead";
        var end = owner == Node ? "# END pigsty-appliance" : $"# END pigsty-appliance ({owner})";
        var block = new StringBuilder(begin).Append('\n');
        foreach (var record in records)
        {
            block.Append(record).Append('\n');
        }

        block.Append(end).Append('\n');
        var text = new StringBuilder();
        var inBlock = false;
        var placed = false;
        foreach (var line in (current ?? Defaults).Split('\n'))
        {
            if (line == begin)
            {
                inBlock = true;
            }
            else if (inBlock && line == end)
            {
                inBlock = false;
                placed = true;
                text.Append(block);
            }
            else if (!inBlock && !line.StartsWith("127.0.1.1", StringComparison.Ordinal))
            {
                text.Append(line).Append('\n');
            }
        }

        // Split leaves one empty piece after the last newline; keep exactly one blank line before an appended block.
        var kept = text.ToString().TrimEnd('\n');
        if (placed)
        {
            return kept + "\n";
        }

        var result = new StringBuilder(kept);
        if (kept.Length > 0)
        {
            result.Append("\n\n");
        }

        return result.Append(block).ToString();
    }
}
