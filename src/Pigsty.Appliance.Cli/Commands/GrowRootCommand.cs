using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.FirstBoot;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>growroot</c>: grows the root partition and filesystem to fill the disk (run once by pigsty-growroot.service).</summary>
public static class GrowRootCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("growroot", "Grow the root partition and ext4 filesystem to fill the disk");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var grower = new RootGrower(new ProcessRunner(context.Logger<ProcessRunner>()), context.Logger<RootGrower>());
            await context.Io.Out.WriteLineAsync(await grower.GrowAsync(cancellationToken));
            return 0;
        });
        return command;
    }
}
