using System.Globalization;

namespace Pigsty.Appliance.Core.Processes;

/// <summary>A process and its descendants, read from /proc; taken before signalling, since orphans lose their parent link.</summary>
internal static class ProcessTree
{
    /// <summary>The pid itself followed by every descendant alive now.</summary>
    public static IReadOnlyList<int> Snapshot(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && ParentOf(pid) is { } parent)
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children.GetValueOrDefault(tree[i]) ?? []);
        }

        return tree;
    }

    /// <summary>True while the pid exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    private static int? ParentOf(int pid) => Fields(pid) is { } f && int.TryParse(f[1], CultureInfo.InvariantCulture, out var ppid) ? ppid : null;

    private static char? State(int pid) => Fields(pid) is { } f ? f[0][0] : null;

    /// <summary>The fields of /proc/pid/stat after the command name (which may itself hold spaces and parentheses).</summary>
    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
