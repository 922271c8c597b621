using System.Net;
using System.Security.Cryptography;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>
/// The HA run's site: three nodes 10.10.10.11-13 in etcd and in pg-meta (primary on .12, the VIP 10.10.10.2), infra on .11, no MinIO
/// (the default bundle lacks it), Pigsty's default pg_rto, etcd's timing and the scrape interval eased for TCG; the single-node seed's
/// users and database with passwords of this run.
/// <c>pigsty-appliance site</c> turns it into one seed volume per node with static addresses.
/// </summary>
internal sealed record HaSite(string PublicKey, string MetaPassword, string ViewPassword)
{
    /// <summary>The nodes, in pg_seq order.</summary>
    public static readonly IReadOnlyList<IPAddress> Hosts = [IPAddress.Parse("10.10.10.11"), IPAddress.Parse("10.10.10.12"), IPAddress.Parse("10.10.10.13")];

    /// <summary>The infra node (VictoriaMetrics, the admin node).</summary>
    public static readonly IPAddress Infra = Hosts[0];

    /// <summary>
    /// The node pg-meta starts with as its primary: not the infra node. On one TCG vCPU the infra node's monitoring left Patroni there
    /// no time to reach etcd (HA run 4: it demoted itself and never got the lock back), and a primary beside it also waits behind INFRA.
    /// </summary>
    public static readonly IPAddress FirstPrimary = Hosts[1];

    /// <summary>vip-manager's address for pg-meta, held by the primary.</summary>
    public static readonly IPAddress Vip = IPAddress.Parse("10.10.10.2");

    /// <summary>The test's own address on the bridge (host-side checks come from here); in the site's /24, on no node.</summary>
    public const string BridgeAddress = "10.10.10.1/24";

    /// <summary>The site's prefix length.</summary>
    public const int Prefix = 24;

    /// <summary>The user the checks and the load write as, and its database.</summary>
    public const string User = "dbuser_meta";

    /// <summary>The database of the seed.</summary>
    public const string Database = "meta";

    /// <summary>The cluster.</summary>
    public const string Cluster = "pg-meta";

    /// <summary>A site with fresh passwords (never Pigsty's well-known defaults) for the admin key <paramref name="publicKey"/>.</summary>
    public static HaSite Create(string publicKey) => new(publicKey, NewPassword(), NewPassword());

    /// <summary>The inventory (pigsty.yml) of the site.</summary>
    public string Inventory()
    {
        string Hosts(Func<int, string> vars) => string.Concat(HaSite.Hosts.Select((h, i) => $"        {h}: {{ {vars(i + 1)} }}\n"));
        return "# The ha boot test's site, written by pigsty-boottest: three nodes, one etcd, one PostgreSQL cluster behind a VIP.\n"
            + "all:\n"
            + "  children:\n"
            + $"    infra: {{ hosts: {{ {Infra}: {{ infra_seq: 1 }} }} }}\n"
            + "    etcd:\n"
            + "      hosts:\n"
            + Hosts(i => $"etcd_seq: {i}")
            // Three TCG VMs on two host cores stall for seconds at a time, and with etcd's 100 ms heartbeat and 1 s election timeout the
            // first run's cluster answered nothing for minutes; Pigsty's knobs for slow links, at 5x and 5x.
            + "      vars: { etcd_cluster: etcd, etcd_heartbeat_interval: 500, etcd_election_timeout: 5000 }\n"
            + $"    {Cluster}:\n"
            + "      hosts:\n"
            + Hosts(i => $"pg_seq: {i}, pg_role: {(HaSite.Hosts[i - 1].Equals(FirstPrimary) ? "primary" : "replica")}")
            + "      vars:\n"
            + $"        pg_cluster: {Cluster}\n"
            + "        pg_conf: tiny\n"
            + "        pg_vip_enabled: true\n"
            + $"        pg_vip_address: {Vip}/{Prefix}\n"
            + UsersAndDatabase()
            + "  vars:\n"
            + $"    admin_ip: {Infra}\n"
            // Each scrape costs a TCG guest about a second of its one vCPU (node_exporter alone took 10-19 % of it at Pigsty's 10 s),
            // and three nodes' exporters left no idle time at all in HA run 4. Every node is still scraped, every 30 s.
            + "    vmetrics_scrape_interval: 30s\n"
            + "    pgbackrest_method: local\n"
            + $"    node_admin_pk_list: ['{PublicKey}']\n";
    }

    /// <summary>pg-meta's users (with this site's passwords) and database, as cluster vars at the inventory's usual depth.</summary>
    public string UsersAndDatabase() =>
        "        pg_users:\n"
        + $"          - {{ name: {User}, password: '{MetaPassword}', pgbouncer: true, roles: [dbrole_admin], comment: pigsty admin user }}\n"
        + $"          - {{ name: dbuser_view, password: '{ViewPassword}', pgbouncer: true, roles: [dbrole_readonly], comment: read-only viewer for meta database }}\n"
        + "        pg_databases:\n"
        + $"          - {{ name: {Database}, owner: {User}, comment: pigsty meta database, extensions: [pg_stat_statements] }}\n";

    /// <summary><c>pigsty-appliance site</c> for <paramref name="inventory"/> into <paramref name="directory"/>: static /24 addresses, no gateway.</summary>
    public static ProcessSpec SiteCommand(string cli, string inventory, string directory) =>
        ProcessSpec.Of(cli, "site", "--inventory", inventory, "--dir", directory, "--prefix", Prefix.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Where the site command puts the seed volume of <paramref name="host"/>.</summary>
    public static string SeedOf(string directory, IPAddress host) => Path.Combine(directory, "seeds", $"{host}.img");

    private static string NewPassword() => RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 24);
}
