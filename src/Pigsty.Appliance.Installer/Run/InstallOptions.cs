using System.Net;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>How a run was asked for: first boot (seed discovery) or by hand with an inventory, a node, or only the plan.</summary>
/// <param name="Inventory">An inventory file to use instead of seed discovery.</param>
/// <param name="Node">This node's address, when it cannot be told from local interfaces.</param>
/// <param name="PlanOnly">Print the plan and change nothing.</param>
/// <param name="VerifyBundle">Verify the bundled repo against repo_complete first (first boot always does).</param>
public sealed record InstallOptions(string? Inventory, IPAddress? Node, bool PlanOnly, bool VerifyBundle)
{
    /// <summary>The local repository (the bundle's pigsty/); /www/pigsty on a node.</summary>
    public string RepoDirectory { get; init; } = NodeLayout.Repo;

    /// <summary>
    /// A directory laid out like a seed volume (<c>pigsty.yml</c> and the node's <c>site/</c> material), used instead of seed discovery:
    /// deploy uploads one. It is treated like a volume (site material taken, keys wiped, the result written back) but never mounted.
    /// </summary>
    public string? SeedDirectory { get; init; }

    /// <summary>Parameters the appliance does not support (and unknown names) stop the run instead of being warnings.</summary>
    public bool Strict { get; init; }
}
