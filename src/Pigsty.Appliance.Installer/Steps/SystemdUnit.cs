using System.Text;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>A full unit file of ours in <c>/etc/systemd/system</c>, where it shadows a package's unit of the same name and survives upgrades.</summary>
/// <param name="Name">Unit file name, e.g. <c>etcd.service</c> or <c>pgbackrest-full.timer</c>.</param>
/// <param name="Body">The type's own section (<c>[Service]</c>, <c>[Timer]</c>) as key/value lines, in order.</param>
public sealed record SystemdUnit(string Name, string Description, IReadOnlyList<(string Key, string Value)> Body)
{
    /// <summary>Lines of the <c>[Unit]</c> section after the description (After=, Wants=, Documentation=…).</summary>
    public IReadOnlyList<(string Key, string Value)> Unit { get; init; } = [];

    /// <summary>Comment lines written at the top: why the unit looks the way it does.</summary>
    public IReadOnlyList<string> Comments { get; init; } = [];

    /// <summary>The target that pulls the unit in when enabled; null for units started by a timer.</summary>
    public string? WantedBy { get; init; } = "multi-user.target";

    /// <summary>Where units of ours live: they shadow a package's unit of the same name (and a mask there is replaced by them).</summary>
    public const string Directory = "/etc/systemd/system";

    /// <summary>Where the unit lives.</summary>
    public string Path => $"{Directory}/{Name}";

    /// <summary>The unit file text.</summary>
    public string Render()
    {
        var text = new StringBuilder("# written by pigsty-appliance; a full unit so that package upgrades cannot replace it\n");
        foreach (var comment in Comments)
        {
            text.Append("# ").Append(comment).Append('\n');
        }

        text.Append("\n[Unit]\nDescription=").Append(Description).Append('\n');
        Append(text, Unit);
        var section = Name[(Name.LastIndexOf('.') + 1)..];
        text.Append('\n').Append('[').Append(char.ToUpperInvariant(section[0])).Append(section[1..]).Append("]\n");
        Append(text, Body);
        if (WantedBy is not null)
        {
            text.Append("\n[Install]\nWantedBy=").Append(WantedBy).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The unit as a file a step owns.</summary>
    public ManagedFile File() => ManagedFile.Of(Path, _ => Render(), FileSpec.Config);

    private static void Append(StringBuilder text, IReadOnlyList<(string Key, string Value)> lines)
    {
        foreach (var (key, value) in lines)
        {
            text.Append(key).Append('=').Append(value).Append('\n');
        }
    }
}
