using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Parameters;
using Pigsty.Appliance.Installer.Seed;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Site;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>One install run: verify the bundle, find and validate the seed, identify the node, plan, apply, report.</summary>
public sealed class NodeInstaller(
    IMachine machine,
    IBundleCheck bundle,
    SeedLocator locator,
    StatusReporter status,
    IReadOnlyList<IModule> modules,
    ILogger<NodeInstaller> logger,
    TimeProvider time,
    NodeNetwork? network = null)
{
    private static readonly TimeSpan AddressDeadline = TimeSpan.FromSeconds(120);
    private readonly NodeNetwork _network = network ?? NodeNetwork.Local;

    /// <summary>The bundle's target once its catalog is read, for the banner that is written whatever the outcome.</summary>
    private TargetPlatform? _platform;

    /// <summary>Builds the plan for this node without changing anything.</summary>
    public async Task<InstallPlan> PlanAsync(InstallOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var seed = await LocateAsync(options, cancellationToken);
        try
        {
            var site = await SiteImport.ReadNodeAsync(seed.VolumeDirectory, cancellationToken);
            var (plan, _) = await PrepareAsync(options, seed, site ?? seed.Network, cancellationToken);
            return plan;
        }
        finally
        {
            await ReleaseAsync(seed);
        }
    }

    /// <summary>
    /// Runs the install; on failure status.json, the banner and the seed volume say which step failed and why. The bundle is verified
    /// beside the rest (~30 s under TCG, most of it hashing): the seed, the plan and the steps that do not read the repository go
    /// on meanwhile, and the steps that do (NODE's package source, INFRA's portal that serves it) need <see cref="Outputs.Bundle"/>. A
    /// bundle that fails verification stops the run with its own error, whatever else is under way.
    /// </summary>
    public async Task<InstallResult> RunAsync(InstallOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        SeedSource? seed = null;
        var succeeded = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var verified = options.VerifyBundle ? VerifyBundleAsync(options.RepoDirectory, stop.Token) : Task.CompletedTask;
        try
        {
            var install = InstallAsync(options, verified, s => seed = s, stop.Token);
            if (await Task.WhenAny(install, verified) == verified && !verified.IsCompletedSuccessfully)
            {
                await stop.CancelAsync();
                await ((Task)install).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // The bundle's error first: a node whose repository is damaged fails for that, even when a step failed beside it.
            await verified;
            var result = await install;
            succeeded = true;
            return result;
        }
        catch (ApplianceException e)
        {
            await status.FailedAsync(e.Message, CancellationToken.None);
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await verified.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await FinishAsync(seed, succeeded, CancellationToken.None);
        }
    }

    private async Task VerifyBundleAsync(string repo, CancellationToken cancellationToken)
    {
        // Off this call's thread: the verifier hashes synchronously for long stretches.
        await Task.Yield();
        await status.BundleVerifyingAsync(repo, cancellationToken);
        await status.BundleVerifiedAsync(await bundle.VerifyAsync(repo, cancellationToken), cancellationToken);
    }

    /// <summary>Seed, identity, plan and steps; <paramref name="located"/> hears of the seed as soon as it is found.</summary>
    private async Task<InstallResult> InstallAsync(InstallOptions options, Task verified, Action<SeedSource> located, CancellationToken cancellationToken)
    {
        // Found before it is validated, so that a seed that fails validation still gets the failure written back to its volume;
        // its site material is taken before anything else reads the seed, so that a node on a network without DHCP has its
        // address (and its peers can reach it) before it identifies itself and plans.
        var seed = await LocateAsync(options, cancellationToken);
        located(seed);
        await status.SeedLocatedAsync(seed.MetaData.InstanceId, seed.ReadOnly, cancellationToken);
        var site = await TakeSiteAsync(seed, cancellationToken);
        if (site is null && options.Node is null)
        {
            await AwaitAddressAsync(cancellationToken);
        }

        var (plan, inventory) = await PrepareAsync(options, seed, site, cancellationToken);
        await status.SeedValidAsync(seed.Description, inventory.Hosts.Count, inventory.AdminIp.ToString(), cancellationToken);
        foreach (var warning in plan.Warnings)
        {
            logger.LogWarning("{Warning}", warning.ToString());
        }

        await status.PlannedAsync(plan, cancellationToken);
        var context = new StepContext(plan.Node, machine, logger);
        var engine = new InstallEngine(new StepJournal(machine.Files), status, time);
        var result = await engine.ApplyAsync(plan, context, cancellationToken, [new StepGate(Outputs.Bundle, "bundle verification", verified)]);

        // A step that needs the bundle waited for it; nothing may report success over a bundle that is still being checked.
        await verified;
        await status.SucceededAsync(Portal(plan.Node), cancellationToken);
        if (result.NothingChanged)
        {
            await status.UnchangedAsync(cancellationToken);
        }

        // Tells pigsty-firstboot.service (ConditionPathExists=!) that first boot is over.
        await machine.Files.WriteAsync(NodeLayout.FirstBootDone, time.GetUtcNow().ToString("O") + "\n", FileSpec.Config, cancellationToken);
        return result;
    }

    /// <summary>The inventory given on the command line, else the seed first boot discovers.</summary>
    private async Task<SeedSource> LocateAsync(InstallOptions options, CancellationToken cancellationToken) =>
        options.Inventory is { } path ? new SeedSource(SeedKind.Given, path, null, $"inventory {path}")
        : options.SeedDirectory is { } directory ? SeedDirectorySource(directory)
        : await locator.LocateAsync(cancellationToken);

    private static SeedSource SeedDirectorySource(string directory)
    {
        var full = Path.GetFullPath(directory);
        var inventory = Path.Join(full, SeedMedia.InventoryName);
        return File.Exists(inventory)
            ? new SeedSource(SeedKind.Directory, inventory, full, $"seed directory {full}")
            : throw new InputException(full, $"the seed directory has no {SeedMedia.InventoryName}");
    }

    /// <summary>
    /// The seed volume's site material, if any, put in place (certificates, secrets), else the static network a NoCloud
    /// network-config gives; a static address is applied and waited for. Returns the node's identity from either. A seed without
    /// either changes nothing here.
    /// </summary>
    private async Task<SiteNode?> TakeSiteAsync(SeedSource seed, CancellationToken cancellationToken)
    {
        var site = await SiteImport.ReadNodeAsync(seed.VolumeDirectory, cancellationToken);
        if (site is not null)
        {
            await SiteImport.ImportAsync(machine.Files, seed.VolumeDirectory!, cancellationToken);
        }
        else if (seed.Network is null)
        {
            return null;
        }

        var node = site ?? seed.Network!;
        var source = site is not null ? "the seed's site material" : $"the seed's {SeedMedia.NetworkConfig}";
        if (node.IsStatic)
        {
            var nic = StaticNetwork.Choose(node, _network.Nics(), site is not null ? null : Path.Join(seed.VolumeDirectory, SeedMedia.NetworkConfig));
            logger.LogInformation("{Source}: static address {Address}/{Prefix} on {Nic} ({Mac})", source, node.Address, node.Prefix, nic.Name, nic.Mac);
            await StaticNetwork.ApplyAsync(machine, node, nic, _network.Addresses, time, cancellationToken);
        }

        logger.LogInformation("this node is {Address} (from {Source})", node.Address, source);
        return node;
    }

    /// <summary>
    /// A node that identifies itself by its addresses waits here for one (DHCP), polled, up to systemd-networkd-wait-online's own
    /// 120 s: the first-boot unit does not wait for network-online.target, which on a network without DHCP held a site node back
    /// ~130 s before it could apply the static address its seed gives. Past the deadline the identification names what is missing.
    /// </summary>
    private async Task AwaitAddressAsync(CancellationToken cancellationToken)
    {
        var until = time.GetUtcNow() + AddressDeadline;
        var noted = false;
        while (_network.Addresses().Count == 0 && time.GetUtcNow() < until)
        {
            if (!noted)
            {
                logger.LogInformation("network: waiting up to {Seconds:0} s for an IPv4 address (DHCP) to identify this node", AddressDeadline.TotalSeconds);
                noted = true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
        }
    }

    /// <summary>Inventory, identity and plan; writes nothing, so --plan changes nothing.</summary>
    private async Task<(InstallPlan Plan, PigstyInventory Inventory)> PrepareAsync(InstallOptions options, SeedSource seed, SiteNode? site, CancellationToken cancellationToken)
    {
        var interfaces = _network.Addresses();
        var routes = File.Exists("/proc/net/route") ? await File.ReadAllTextAsync("/proc/net/route", cancellationToken) : "";
        var primary = options.Node ?? NodeIdentity.PrimaryAddress(routes, interfaces);
        var inventory = await SeedLoader.LoadAsync(seed, primary, cancellationToken);
        var host = (options.Node ?? site?.Address) is { } given
            ? inventory.FindHost(given) ?? throw new InputException(inventory.Source, $"node {given} is not a host of the inventory"
                + (options.Node is null ? $" (named by the seed's {(seed.Network == site ? SeedMedia.NetworkConfig : SeedMedia.SiteDirectory + "/" + SeedMedia.SiteNode)}: "
                    + "the seed was written for another inventory)" : ""))
            : NodeIdentity.Identify(inventory, interfaces.Select(i => i.Address).ToList());
        // What this host's variables set that the appliance does not honour: unsafe ones stop here, the rest join the plan's warnings.
        var report = ParameterCheck.Check(inventory, host);
        report.ThrowIfFailed(options.Strict);
        var repo = await RepoCatalog.LoadAsync(options.RepoDirectory, cancellationToken);
        _platform = repo.Platform;
        var node = new NodeContext(inventory, host, new Credentials(machine.Files, host.Vars), repo) {
            Material = await SiteMaterial.ReadAsync(machine.Files, cancellationToken),
            SeedHostname = seed.MetaData.LocalHostname is { } name ? (host.Address, name) : null,
            Installed = await machine.Packages.InstalledAsync(cancellationToken),
        };
        var plan = InstallPlan.Create(node, modules);
        return (plan with { Warnings = [.. report.Warnings, .. plan.Warnings] }, inventory);
    }

    private static string? Portal(NodeContext node) =>
        node.Inventory.Infra.Count == 0 ? null : $"http://{(node.Infra is not null ? node.Address : node.AdminIp)}/";

    /// <summary>The banner and the write-back to the seed volume happen whatever the outcome.</summary>
    private async Task FinishAsync(SeedSource? seed, bool succeeded, CancellationToken cancellationToken)
    {
        try
        {
            await machine.Files.WriteAsync(NodeLayout.Issue, Banner.Render(status.Current, _platform), FileSpec.Config, cancellationToken);
            if (seed is { VolumeDirectory: not null, ReadOnly: { } readOnly })
            {
                // Nothing can be written to ISO 9660 or a read-only drive; status.json's seed_write_back says so.
                logger.LogInformation("seed volume: no write-back, {Reason}", readOnly);
            }
            else if (seed?.VolumeDirectory is { } volume)
            {
                // Read-only while the install ran; writable for these files only, and unmounted right after.
                await locator.WritableAsync(seed, cancellationToken);

                // Installed, the keys and secrets live in the node's root-only files: the volume need not carry them any longer.
                var wiped = succeeded ? await SiteImport.WipeAsync(volume, cancellationToken) : [];
                if (wiped.Count > 0)
                {
                    logger.LogInformation("seed volume: wiped {Files} after the successful install", string.Join(", ", wiped));
                }

                await SeedWriteBack.WriteAsync(volume, wiped.Count > 0 ? status.Current with { SeedWiped = wiped } : status.Current, cancellationToken);

                // The volume may be pulled (or the VM stopped) right after: put the FAT metadata on disk too.
                await machine.Processes.RunAsync(Core.Processes.ProcessSpec.Of("sync", "--file-system", volume), cancellationToken);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ApplianceException)
        {
            logger.LogWarning(e, "could not write the banner or the seed volume report");
        }
        finally
        {
            await ReleaseAsync(seed);
        }
    }

    /// <summary>Unmounts the seed volume, if one was mounted; a failure is logged, it must not hide the install's result.</summary>
    private async Task ReleaseAsync(SeedSource? seed)
    {
        if (seed is null)
        {
            return;
        }

        try
        {
            await locator.ReleaseAsync(seed, CancellationToken.None);
        }
        catch (ApplianceException e)
        {
            logger.LogWarning(e, "could not unmount the seed volume {Volume}", seed.VolumeDirectory);
        }
    }
}
