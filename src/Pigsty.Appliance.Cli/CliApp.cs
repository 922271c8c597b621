using System.CommandLine;
using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Cli;

/// <summary>The pigsty-appliance command tree; <see cref="CommandHost"/> runs it.</summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command, and returns its exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken) =>
        CommandHost.RunAsync(NodeLayout.InstallerName, io, Commands, args, cancellationToken);

    private static RootCommand Commands(CliContext context) =>
        new("pigsty-appliance: offline Pigsty bundles, bootable images and an unattended installer.")
        {
            BundleCommand.Create(context),
            VerifyCommand.Create(context),
            ImageCommand.Create(context),
            IsoCommand.Create(context),
            InstallDiskCommand.Create(context),
            LayoutCommand.Create(context),
            BenchCommand.Create(context),
            InventoryCommand.Create(context),
            SeedCommand.Create(context),
            SiteCommand.Create(context),
            InstallCommand.Create(context),
            DeployCommand.Create(context),
            FirstBootCommand.Create(context),
            StatusCommand.Create(context),
            GrowRootCommand.Create(context),
            PgbouncerExporterCommand.Create(context),
            CompletionCommand.Create(context),
        };
}
