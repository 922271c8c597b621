using System.Text.Json.Nodes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Parameters;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>One host's variables with their origin and the table's verdict, as text or JSON.</summary>
internal sealed record HostVariables(InventoryHost Host, IReadOnlyList<(string Name, YamlValue Value, string Scope, string Status)> Vars)
{
    public static HostVariables Of(PigstyInventory inventory, InventoryHost host)
    {
        var vars = host.Vars.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v =>
        {
            var definition = inventory.Definitions.FirstOrDefault(d => ReferenceEquals(d.Value, v.Value))
                ?? inventory.Definitions.FirstOrDefault(d => d.Value.Path == v.Value.Path);
            var scope = definition?.Scope switch
            {
                VarScope.All => "all.vars",
                VarScope.Group => $"group {definition.Owner}",
                VarScope.Host => "host",
                _ => v.Value.Path,
            };
            var status = ParameterTable.Find(v.Key) is { } parameter
                ? parameter.StatusFor(v.Value) switch
                {
                    ParameterStatus.Honoured => "honoured",
                    ParameterStatus.NotSupported => "not supported",
                    _ => "rejected",
                }
                : "unknown";
            return (v.Key, v.Value, scope, status);
        }).ToList();
        return new HostVariables(host, vars);
    }

    public string Text()
    {
        var text = new System.Text.StringBuilder();
        text.Append("host ").Append(Host.Address).Append('\n');
        text.Append("groups (lowest precedence first): ").Append(Host.Groups.Count == 0 ? "none" : string.Join(", ", Host.Groups)).Append('\n');
        foreach (var (name, value, scope, status) in Vars)
        {
            text.Append(name).Append(" = ").Append(YamlJson.Compact(value)).Append('\n');
            text.Append("    from ").Append(value.Location).Append(" (").Append(scope).Append(')')
                .Append(status == "honoured" ? "" : $" [{status}]").Append('\n');
        }

        return text.ToString();
    }

    public string Json()
    {
        var vars = new JsonObject();
        foreach (var (name, value, scope, status) in Vars)
        {
            vars[name] = new JsonObject
            {
                ["value"] = YamlJson.ToNode(value),
                ["source"] = value.Location.ToString(),
                ["scope"] = scope,
                ["status"] = status,
            };
        }

        var root = new JsonObject
        {
            ["host"] = Host.Address.ToString(),
            ["groups"] = CliJson.Strings(Host.Groups),
            ["vars"] = vars,
        };
        return CliJson.Render(root);
    }
}
