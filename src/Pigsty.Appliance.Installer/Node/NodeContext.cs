using System.Net;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>This node's view of the inventory: which host it is, what it runs, its secrets and what the local repo holds.</summary>
public sealed record NodeContext(PigstyInventory Inventory, InventoryHost Host, Credentials Credentials, RepoCatalog Repo)
{
    /// <summary>The site's PKI files this node holds (read at plan time; none in a context made without a machine).</summary>
    public SiteMaterial Material { get; init; } = SiteMaterial.None;

    /// <summary>The host name a NoCloud seed's meta-data gives this node (<c>local-hostname</c>), with the address it belongs to.</summary>
    public (IPAddress Address, string Name)? SeedHostname { get; init; }

    /// <summary>
    /// The packages dpkg had installed when the plan was made (none in a context made without a machine): a package step whose
    /// packages are all here, as on the appliance image, has nothing to take from the package source and does not wait for it.
    /// </summary>
    public IReadOnlySet<string> Installed { get; init; } = new HashSet<string>();

    public IPAddress Address => Host.Address;

    /// <summary>The admin node's address as this host sees it: its own <c>admin_ip</c> (a host may set one), else all.vars'.</summary>
    public IPAddress AdminIp => Vars.Find("admin_ip") is { } value && IpAddresses.TryParse(value.AsString(), out var address) ? address : Inventory.AdminIp;

    /// <summary>True when the seed gives the secret: in this host's variables or in the site material (the same on every node).</summary>
    public bool Gives(string name) => Vars.Find(name) is not null || Material.HasSecret(name);

    /// <summary>Effective variables for this host (host over group over all).</summary>
    public VarSet Vars => Host.Vars;

    /// <summary>
    /// True on the admin node, which, unless the
    /// site material came from <c>pigsty-appliance site</c>, is the only node that holds the site CA's key and issues certificates.
    /// </summary>
    public bool IsAdmin => Address.Equals(AdminIp);

    /// <summary>True when this node issues certificates: the admin node, unless its certificates came with the site material.</summary>
    public bool Issues => IsAdmin && !Material.IsSite;

    /// <summary>This node's INFRA membership, if any.</summary>
    public ClusterMember? Infra => Inventory.Infra.FirstOrDefault(m => m.Address.Equals(Address));

    /// <summary>This node's ETCD cluster and membership, if any.</summary>
    public (MemberCluster Cluster, ClusterMember Member)? Etcd => MemberOf("etcd");

    /// <summary>This node's MINIO cluster and membership, if any.</summary>
    public (MemberCluster Cluster, ClusterMember Member)? Minio => MemberOf("minio");

    /// <summary>This node's PostgreSQL cluster and instance, if any.</summary>
    public (PgCluster Cluster, PgInstance Instance)? Pg =>
        Inventory.PgClusters.SelectMany(c => c.Instances.Select(i => (c, i))).FirstOrDefault(x => x.i.Address.Equals(Address)) is ({ } c, { } i)
            ? (c, i)
            : null;

    /// <summary>
    /// The node name: <c>nodename</c> if set, else the seed's <c>local-hostname</c> (for the node it was given to only), else the PG
    /// instance name (unless <c>node_id_from_pg</c> is false), else <c>node-a-b-c-d</c>.
    /// </summary>
    public string Hostname =>
        Vars.Find("nodename")?.AsString()
        ?? (SeedHostname is { } seed && seed.Address.Equals(Address) ? seed.Name : null)
        ?? (Vars.Bool("node_id_from_pg", true) ? Pg?.Instance.Name : null)
        ?? "node-" + Address.ToString().Replace('.', '-').Replace(':', '-');

    /// <summary>This node's cluster and membership among the <c>&lt;kind&gt;_cluster</c> groups, if any (see <c>InventoryLoader.MemberClusterKinds</c>).</summary>
    public (MemberCluster Cluster, ClusterMember Member)? MemberOf(string kind) =>
        Inventory.Clusters(kind).SelectMany(c => c.Members.Select(m => (c, m))).FirstOrDefault(x => x.m.Address.Equals(Address)) is ({ } c, { } m)
            ? (c, m)
            : null;
}
