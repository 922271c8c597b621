using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>One host deploy installs: the inventory host, how to reach it, why it comes where it does, and the hosts it waits for.</summary>
public sealed record DeployHost(InventoryHost Host, SshTarget Target, string Role, IReadOnlyList<string> After)
{
    /// <summary>The host's name in the inventory (its address), which prefixes its output and names its log.</summary>
    public string Name => Host.Address.ToString();
}
