using System.Text;

namespace Pigsty.Appliance.Installer.Parameters;

/// <summary>docs/parameters.md: <see cref="ParameterTable"/> as Markdown, one table per module (a test keeps the file in step).</summary>
public static class ParameterDoc
{
    /// <summary>The whole document.</summary>
    public static string Render()
    {
        var text = new StringBuilder()
            .Append("# Pigsty parameters in the appliance\n\n")
            .Append("Generated from `src/Pigsty.Appliance.Installer/Parameters/ParameterTable.cs` (do not edit by hand: ")
            .Append("`PIGSTY_UPDATE_GOLDEN=1 dotnet test --filter ParameterDocTests` rewrites it). Names are those of Pigsty v4.5's ")
            .Append("role defaults; a few appliance additions are marked *appliance*.\n\n")
            .Append("- **honoured**: read and acted on as Pigsty does.\n")
            .Append("- **not supported**: accepted and ignored; `inventory check` and `install --plan` print a warning naming the file and line ")
            .Append("(an error with `--strict`, and for `seed` unless `--no-strict`). Values under *honoured when* ask for nothing the appliance ")
            .Append("lacks and raise no warning.\n")
            .Append("- **rejected**: ignoring it would be unsafe, so setting it is an error.\n\n")
            .Append("Names no Pigsty role knows are warned about too, with the closest known name (\"did you mean\").\n\n")
            .Append("| module | honoured | not supported | rejected |\n|---|---:|---:|---:|\n");
        foreach (var group in ParameterTable.All.GroupBy(p => p.Module))
        {
            text.Append("| ").Append(group.Key)
                .Append(" | ").Append(group.Count(p => p.Status == ParameterStatus.Honoured))
                .Append(" | ").Append(group.Count(p => p.Status == ParameterStatus.NotSupported))
                .Append(" | ").Append(group.Count(p => p.Status == ParameterStatus.Rejected)).Append(" |\n");
        }

        foreach (var group in ParameterTable.All.GroupBy(p => p.Module))
        {
            text.Append("\n## ").Append(group.Key).Append("\n\n");
            if (!ParameterTable.Modules.Contains(group.Key))
            {
                text.Append(group.Count()).Append(" parameters, all **not supported**: ").Append(group.First().Note).Append(".\n\n")
                    .Append(string.Join(", ", group.Select(p => $"`{p.Name}`"))).Append('\n');
                continue;
            }

            text.Append("| parameter | status | honoured when | what the appliance does |\n|---|---|---|---|\n");
            foreach (var parameter in group)
            {
                text.Append("| `").Append(parameter.Name).Append("` | ").Append(Status(parameter.Status)).Append(" | ")
                    .Append(string.Join(", ", parameter.HonouredWhen.Select(v => $"`{v}`"))).Append(" | ")
                    .Append(parameter.Note.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
            }
        }

        return text.ToString();
    }

    private static string Status(ParameterStatus status) => status switch
    {
        ParameterStatus.Honoured => "honoured",
        ParameterStatus.NotSupported => "not supported",
        _ => "**rejected**",
    };
}
