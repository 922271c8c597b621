using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>inventory check FILE</c>: validates a pigsty.yml and prints what it describes.</summary>
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
            return 0;
        });
        return new Command("inventory", "Work with Pigsty inventories (pigsty.yml)") { check };
    }

    private static void Print(TextWriter console, PigstyInventory inventory)
    {
        console.WriteLine($"valid: {inventory.Source}");
        console.WriteLine($"admin_ip: {inventory.AdminIp}");
        console.WriteLine($"hosts: {string.Join(", ", inventory.Hosts.Select(h => h.Address))}");
        if (inventory.Infra.Count > 0)
        {
            console.WriteLine($"infra: {string.Join(", ", inventory.Infra.Select(m => $"{m.Address} (infra_seq {m.Seq})"))}");
        }

        foreach (var (module, clusters) in new[] { ("etcd", inventory.Etcd), ("minio", inventory.Minio) })
        {
            foreach (var cluster in clusters)
            {
                console.WriteLine($"{module} {cluster.Name}: {string.Join(", ", cluster.Members.Select(m => $"{cluster.Name}-{m.Seq} {m.Address}"))}");
            }
        }

        foreach (var cluster in inventory.PgClusters)
        {
            var instances = cluster.Instances.Select(i => $"{i.Name} {i.Address} {i.Role.ToString().ToLowerInvariant()}");
            console.WriteLine($"pgsql {cluster.Name}: {string.Join(", ", instances)}");
        }
    }
}
