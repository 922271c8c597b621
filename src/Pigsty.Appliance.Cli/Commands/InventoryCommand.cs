using System.CommandLine;
using System.Text.Json.Nodes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Installer.Parameters;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// <c>inventory check FILE</c>: validates a pigsty.yml, warns about every parameter the appliance does not honour, prints each
/// registered module's members and warns about Pigsty's default passwords; <c>inventory host FILE IP</c>: one host's effective
/// variables, each with where it was set.
/// </summary>
public static class InventoryCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("inventory", "Work with Pigsty inventories (pigsty.yml)") { Check(context), Host(context) };
    }

    private static Command Check(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The inventory (Pigsty's pigsty.yml format)" };
        var strict = new Option<bool>("--strict") { Description = "Treat warnings (parameters not supported here, unknown names) as errors" };
        var json = CliJson.Option("Print JSON: file, admin_ip, warnings, default_password_warnings and each module's clusters and members");
        var check = new Command("check", "Validate an inventory, name every parameter not honoured here, summarise its nodes and clusters") { file, strict, json };
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var inventory = await InventoryLoader.LoadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            var report = ParameterCheck.Check(inventory);
            var secrets = InventorySecrets.WellKnownIn(inventory);
            if (parseResult.GetValue(json))
            {
                report.ThrowIfFailed(parseResult.GetValue(strict));
                await CliJson.WriteAsync(context.Io.Out, Json(inventory, report, secrets));
                return 0;
            }

            foreach (var warning in report.Warnings)
            {
                await context.Io.Out.WriteLineAsync($"warning: {warning}");
            }

            report.ThrowIfFailed(parseResult.GetValue(strict));
            Print(context.Io.Out, inventory, report);
            foreach (var warning in secrets)
            {
                await context.Io.Error.WriteLineAsync($"warning: {warning}");
            }

            return 0;
        });
        return check;
    }

    private static Command Host(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The inventory (Pigsty's pigsty.yml format)" };
        var address = new Argument<string>("ip") { Description = "The host's inventory address" };
        var json = CliJson.Option("Print JSON: host, groups and each variable's value, source (file:line:column), scope and status");
        var host = new Command("host", "Print one host's effective variables (Ansible's precedence), each with the file and line it came from")
        {
            file, address, json,
        };
        host.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var text = parseResult.GetRequiredValue(address);
            if (!IpAddresses.TryParse(text, out var ip))
            {
                throw new UsageException($"'{text}' is not an IP address");
            }

            var inventory = await InventoryLoader.LoadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            var found = inventory.FindHost(ip) ?? throw new InputException(inventory.Source, $"{ip} is not a host of the inventory");
            var view = HostVariables.Of(inventory, found);
            await context.Io.Out.WriteAsync(parseResult.GetValue(json) ? view.Json() : view.Text());
            return 0;
        });
        return host;
    }

    private static JsonObject Json(PigstyInventory inventory, ParameterReport report, IReadOnlyList<InputProblem> secrets) => new()
    {
        ["file"] = inventory.Source,
        ["valid"] = true,
        ["admin_ip"] = inventory.AdminIp.ToString(),
        ["warnings"] = CliJson.Problems(report.Warnings),
        ["default_password_warnings"] = CliJson.Problems(secrets),
        ["modules"] = new JsonArray([.. InstallModules.Descriptors.Select(module => (JsonNode)new JsonObject
        {
            ["module"] = module.Key,
            ["clusters"] = new JsonArray([.. module.Group.Clusters(inventory).Select(cluster => (JsonNode)new JsonObject
            {
                ["name"] = cluster.Name,
                ["members"] = new JsonArray([.. cluster.Members.Select(m => (JsonNode)new JsonObject { ["address"] = m.Address.ToString(), ["label"] = m.Label })]),
            })]),
        })]),
    };

    private static void Print(TextWriter console, PigstyInventory inventory, ParameterReport report)
    {
        console.WriteLine($"valid: {inventory.Source}" + (report.Warnings.Count > 0 ? $" ({report.Warnings.Count} warnings)" : ""));
        console.WriteLine($"admin_ip: {inventory.AdminIp}");
        foreach (var module in InstallModules.Descriptors)
        {
            foreach (var cluster in module.Group.Clusters(inventory))
            {
                var name = cluster.Name is null ? module.Key : $"{module.Key} {cluster.Name}";
                console.WriteLine($"{name}: {string.Join(", ", cluster.Members.Select(m => m.Label))}");
            }
        }
    }
}
