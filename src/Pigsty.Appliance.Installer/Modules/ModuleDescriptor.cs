using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>
/// What a module says about itself besides its steps. <see cref="InstallModules"/> derives every list that spans modules from
/// these (image preinstall names and packages, scrape jobs, alert rules, console milestones, the inventory summary).
/// </summary>
/// <param name="Name">Upper-case name as Pigsty spells it, e.g. <c>PGSQL</c>; console lines and status.json use it.</param>
/// <param name="Group">How the inventory says which nodes run the module.</param>
/// <param name="PackagesOn">Every package the module installs with Pigsty's defaults on a target (PGSQL's follow its PostgreSQL major): what an image can preinstall.</param>
/// <param name="RecipeGroups">The recipe's package groups (<c>groups:</c>) or binary components (<c>binaries:</c>) that carry <paramref name="PackagesOn"/> into a bundle.</param>
/// <param name="ScrapeJobs">The VictoriaMetrics jobs whose target lists the module writes.</param>
/// <param name="AlertRules">The vmalert rule files the module installs on INFRA nodes.</param>
public sealed record ModuleDescriptor(
    string Name,
    ModuleGroup Group,
    Func<TargetPlatform, IReadOnlyList<string>> PackagesOn,
    IReadOnlyList<string> RecipeGroups,
    IReadOnlyList<ScrapeJob> ScrapeJobs,
    IReadOnlyList<AlertRuleFile> AlertRules)
{
    /// <summary>The ports the module serves to the site's other hosts; everything else it runs listens on loopback only.</summary>
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];

    /// <summary>Ports the inventory gives the module on a host (e.g. <c>pg_services</c>), read with that host's variables; served like <see cref="Ports"/>.</summary>
    public Func<VarSet, IEnumerable<ServicePort>> InventoryPorts { get; init; } = _ => [];

    /// <summary>Ready-made queries over the module's series that the portal shows with their values (when VictoriaMetrics runs).</summary>
    public IReadOnlyList<MetricQuery> Queries { get; init; } = [];

    /// <summary>How clients reach the module's services on the site an inventory describes, listed on the portal (never with a password).</summary>
    public Func<PigstyInventory, IEnumerable<ServiceConnection>> Connections { get; init; } = _ => [];

    /// <summary>True when <paramref name="inventory"/> makes the host <paramref name="address"/> run this module.</summary>
    public bool RunsOn(PigstyInventory inventory, System.Net.IPAddress address) =>
        Group.Clusters(inventory).Any(c => c.Members.Any(m => m.Address.Equals(address)));

    /// <summary>Lower-case name, e.g. <c>pgsql</c>: how image definitions (<c>preinstall:</c>) and console milestones name the module.</summary>
    public string Key => Name.ToLowerInvariant();

    /// <summary>The console lines first boot prints for this module (after <c>pigsty: </c>): it started, or it was skipped.</summary>
    public IReadOnlyList<ConsoleMilestone> Milestones =>
        [new(Key, FirstBootConsole.ModuleStartedStart(Name)), new($"{Key}-skipped", FirstBootConsole.ModuleSkippedStart(Name))];
}
