using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>inventory check FILE</c>: validates a pigsty.yml, prints each registered module's members and warns about Pigsty's default passwords.</summary>
public static class InventoryCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = new Argument<string>("file") { Description = "The inventory (Pigsty's pigsty.yml format)" };
        var check = new Command("check", "Validate an inventory and summarise its nodes and clusters") { file };
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var inventory = await InventoryLoader.LoadAsync(parseResult.GetRequiredValue(file), cancellationToken);
            Print(context.Io.Out, inventory);
            foreach (var warning in InventorySecrets.WellKnownIn(inventory))
            {
                await context.Io.Error.WriteLineAsync($"warning: {warning}");
            }

            return 0;
        });
        return new Command("inventory", "Work with Pigsty inventories (pigsty.yml)") { check };
    }

    private static void Print(TextWriter console, PigstyInventory inventory)
    {
        console.WriteLine($"valid: {inventory.Source}");
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
