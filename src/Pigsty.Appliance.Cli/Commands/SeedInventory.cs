using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Parameters;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>The checks an inventory passes before it goes onto any seed (<c>seed</c> and <c>site</c>): valid, strict, no well-known passwords.</summary>
internal static class SeedInventory
{
    /// <summary>Loads and checks <paramref name="source"/>; warnings go to standard error, refusals are input errors naming file and field.</summary>
    public static async Task<PigstyInventory> LoadAsync(CliContext context, string source, bool strict, bool allowDefaults, CancellationToken cancellationToken)
    {
        // An invalid inventory never reaches a seed: first boot would only stop on it later, far from the author.
        var parsed = await InventoryLoader.LoadAsync(source, cancellationToken);

        // Strict by default: a site's seed should mean exactly what it says on every node, not quietly less.
        var report = ParameterCheck.Check(parsed);
        foreach (var warning in report.Warnings)
        {
            await context.Io.Error.WriteLineAsync($"warning: {warning}");
        }

        report.ThrowIfFailed(strict);

        // Pigsty's published passwords would guard a whole site: refused unless the author says so, named either way.
        var defaults = InventorySecrets.WellKnownIn(parsed);
        if (defaults.Count > 0 && !allowDefaults)
        {
            throw new InputException([.. defaults, new InputProblem(new SourceLocation(source, 0, 0), "",
                "refusing to write a seed with Pigsty's well-known default passwords: change them, or pass --allow-default-passwords")]);
        }

        foreach (var warning in defaults)
        {
            await context.Io.Error.WriteLineAsync($"warning: {warning}");
        }

        return parsed;
    }
}
