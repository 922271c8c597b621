using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>
/// First boot as the tests that run the installer whole set it up: the seed locations under one temp directory (<c>by-label/</c>,
/// mount point <c>seed/</c>, <c>cmdline</c>, the embedded <c>default.yml</c>) and a <see cref="NodeInstaller"/> reading them (no modules unless a test gives some).
/// </summary>
internal static class FirstBootSetup
{
    /// <summary>The locations; with <paramref name="volume"/> a device labelled PIGSTY is there to be mounted at <c>seed/</c>.</summary>
    public static SeedLocations Locations(TempDirectory temp, bool volume)
    {
        ArgumentNullException.ThrowIfNull(temp);
        Directory.CreateDirectory(temp.File("by-label"));
        if (volume)
        {
            temp.Write("by-label/PIGSTY", "");
        }

        return new SeedLocations
        {
            ByLabel = temp.File("by-label"),
            MountPoint = temp.File("seed"),
            KernelCommandLine = temp.File("cmdline"),
            Embedded = temp.File("default.yml"),
            Carried = temp.File("carried"),
        };
    }

    /// <summary>An installer on <paramref name="machine"/>; <paramref name="mounts"/> runs the locator's mount commands, <paramref name="console"/> gets the console lines.</summary>
    public static NodeInstaller Installer(TempDirectory temp, FakeMachine machine, IProcessRunner mounts, bool volume = true, Action<string>? console = null,
        NodeNetwork? network = null, IBundleCheck? bundle = null, IReadOnlyList<IModule>? modules = null)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var status = new StatusReporter(machine.Files, console ?? (_ => { }), new SdNotify(null), TimeProvider.System);
        return new NodeInstaller(machine, bundle ?? new NoBundleCheck(), new SeedLocator(mounts, NullLogger<SeedLocator>.Instance, Locations(temp, volume)), status, modules ?? [],
            NullLogger<NodeInstaller>.Instance, TimeProvider.System, network);
    }
}
