using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.ToDisk;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>install-disk</c>: the installer medium's live system writes the appliance onto this machine's disk (see <see cref="DiskInstaller"/>).</summary>
public static class InstallDiskCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var countdown = new Option<int>("--countdown") { Description = "Seconds to wait before erasing the disk, unless the seed says install_unattended: true", DefaultValueFactory = _ => 30 };
        var command = new Command("install-disk",
            $"Write the appliance image from the installer medium (label {InstallMedium.VolumeId}) onto this machine's disk; run by the ISO's live system")
        {
            countdown,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var runner = new ProcessRunner(context.Logger<ProcessRunner>());
            var installer = new DiskInstaller(runner, new SeedLocator(runner, context.Logger<SeedLocator>(), new SeedLocations()),
                context.Logger<DiskInstaller>(), context.Io.Out, new ToDiskLocations { CountdownSeconds = parseResult.GetValue(countdown) });
            try
            {
                await installer.RunAsync(cancellationToken);
                return 0;
            }
            catch (ApplianceException e)
            {
                // On the console, where whoever stands at the server reads it, and on the seed volume, which they can read elsewhere.
                var message = $"{InstallMedium.FailedLine}: {e.Message}";
                await context.Io.Out.WriteLineAsync(message);
                await installer.WriteBackAsync(message, cancellationToken);
                return 1;
            }
        });
        return command;
    }
}
