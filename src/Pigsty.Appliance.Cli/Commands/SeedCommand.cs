using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Seeds;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>seed</c>: writes a small FAT image labelled PIGSTY (or CIDATA) holding a validated inventory, for first boot.</summary>
public static class SeedCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inventory = new Option<string>("--inventory", "-i") { Description = "The inventory (pigsty.yml) to carry", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "The seed image to write", Required = true };
        var label = new Option<string>("--label") { Description = "Volume label first boot looks for", DefaultValueFactory = _ => SeedMedia.DefaultLabel };
        label.AcceptOnlyFromAmong([.. SeedMedia.Labels]);
        var noStrict = new Option<bool>("--no-strict") { Description = "Accept parameters not supported here and unknown names (warned about) instead of refusing the seed" };
        var allowDefaults = new Option<bool>("--allow-default-passwords")
        {
            Description = "Write the seed even though the inventory uses Pigsty's well-known default passwords (each is still named)",
        };
        var command = new Command("seed", "Write a seed volume (FAT, label PIGSTY) holding an inventory for first boot")
        {
            inventory, output, label, noStrict, allowDefaults,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var source = parseResult.GetRequiredValue(inventory);
            var target = parseResult.GetRequiredValue(output);

            var parsed = await SeedInventory.LoadAsync(context, source, strict: !parseResult.GetValue(noStrict), parseResult.GetValue(allowDefaults), cancellationToken);
            if (Directory.Exists(target))
            {
                throw new UsageException($"--output {target} is a directory; give the seed image's file name");
            }

            await SeedVolume.CreateAsync(new ProcessRunner(context.Logger<ProcessRunner>()), source, target, parseResult.GetRequiredValue(label), cancellationToken);
            await context.Io.Out.WriteLineAsync(
                $"seed: {target} (FAT, label {parseResult.GetRequiredValue(label)}) with {SeedMedia.InventoryName}: {parsed.Hosts.Count} hosts, admin_ip {parsed.AdminIp}");
            return 0;
        });
        return command;
    }
}
