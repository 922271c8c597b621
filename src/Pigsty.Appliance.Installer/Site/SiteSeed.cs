using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>One node's share of the site: the files its seed volume carries besides the inventory (volume path → file in the site directory).</summary>
public sealed record SiteSeed(InventoryHost Host, SiteNode Node, IReadOnlyList<string> Services, IReadOnlyList<string> SecretNames,
    IReadOnlyList<(string VolumePath, string SourcePath)> Files);
