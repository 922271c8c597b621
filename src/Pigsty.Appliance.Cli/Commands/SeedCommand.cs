using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Seeds;
using Pigsty.Appliance.Installer.Parameters;

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

            // An invalid inventory never reaches a seed: first boot would only stop on it later, far from the author.
            var parsed = await InventoryLoader.LoadAsync(source, cancellationToken);

            // Strict by default: a site's seed should mean exactly what it says on every node, not quietly less.
            var report = ParameterCheck.Check(parsed);
            foreach (var warning in report.Warnings)
            {
                await context.Io.Error.WriteLineAsync($"warning: {warning}");
            }

            report.ThrowIfFailed(strict: !parseResult.GetValue(noStrict));

            // Pigsty's published passwords would guard a whole site: refused unless the author says so, named either way.
            var defaults = InventorySecrets.WellKnownIn(parsed);
            if (defaults.Count > 0 && !parseResult.GetValue(allowDefaults))
            {
                throw new InputException([.. defaults, new InputProblem(new SourceLocation(source, 0, 0), "",
                    "refusing to write a seed with Pigsty's well-known default passwords: change them, or pass --allow-default-passwords")]);
            }

            foreach (var warning in defaults)
            {
                await context.Io.Error.WriteLineAsync($"warning: {warning}");
            }

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
