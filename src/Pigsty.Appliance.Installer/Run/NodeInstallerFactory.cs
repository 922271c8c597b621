using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Repository.Verify;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>Wires a <see cref="NodeInstaller"/> to the real node: local machine, bundle check, seed locator, status, all modules.</summary>
public static class NodeInstallerFactory
{
    /// <summary>The installer and its status reporter (so callers can print the final state).</summary>
    public static (NodeInstaller Installer, StatusReporter Status) Create(ILoggerFactory loggers, HttpClient http, TextWriter console, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var runner = new ProcessRunner(loggers.CreateLogger<ProcessRunner>());
        var machine = new LocalMachine(runner, http, time);
        var log = new InstallLog(console, time);
        var status = new StatusReporter(machine.Files, log.Line, SdNotify.FromEnvironment(), time);
        var installer = new NodeInstaller(
            machine,
            new RepoBundleCheck(runner, loggers.CreateLogger<BundleVerifier>()),
            new SeedLocator(runner, loggers.CreateLogger<SeedLocator>(), new SeedLocations()),
            status,
            InstallModules.All(time),
            loggers.CreateLogger<NodeInstaller>(),
            time);
        return (installer, status);
    }
}
