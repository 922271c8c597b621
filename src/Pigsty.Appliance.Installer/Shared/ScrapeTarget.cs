using System.Text;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>One file_sd target list a module contributes to VictoriaMetrics: a job, addresses and labels.</summary>
public sealed record ScrapeTarget(string Job, string Name, IReadOnlyList<string> Targets, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Pigsty's identity labels (<c>cls</c>, <c>ins</c>, <c>ip</c>) and any extra ones.</summary>
    public static IReadOnlyDictionary<string, string> Identity(string cls, string ins, string ip, params (string Name, string Value)[] extra)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["cls"] = cls, ["ins"] = ins, ["ip"] = ip };
        foreach (var (name, value) in extra)
        {
            labels[name] = value;
        }

        return labels;
    }

    /// <summary>Where this list lives: <c>/etc/pigsty/targets/&lt;job&gt;/&lt;name&gt;.yml</c>.</summary>
    public string Path => $"{NodePaths.ScrapeTargets}/{Job}/{Name}.yml";

    /// <summary>The file_sd YAML (a one-element list of targets + labels), labels sorted.</summary>
    public string Render()
    {
        var text = new StringBuilder("# written by pigsty-appliance; one target group\n- targets:\n");
        foreach (var target in Targets)
        {
            text.Append("    - '").Append(target).Append("'\n");
        }

        if (Labels.Count > 0)
        {
            text.Append("  labels:\n");
            foreach (var (name, value) in Labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                text.Append("    ").Append(name).Append(": '").Append(value).Append("'\n");
            }
        }

        return text.ToString();
    }
}
