using System.Net;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Push;

/// <summary>
/// The push run's site: two plain Debian 12 hosts, 10.10.10.11 (admin node, the one etcd member, pg-meta's primary) and, added later,
/// 10.10.10.12 (pg-meta's replica); pg-meta's users and database as in the HA run, with passwords of this run. deploy logs in as the
/// plain image's admin user; NODE then authorises the test's key for Pigsty's own admin (dba), which the checks use.
/// </summary>
internal sealed record PushSite(HaSite Passwords, string AdminUser)
{
    /// <summary>The first host, then the replica added to the running site.</summary>
    public static readonly IReadOnlyList<IPAddress> Hosts = [IPAddress.Parse("10.10.10.11"), IPAddress.Parse("10.10.10.12")];

    /// <summary>The image definition the hosts boot (built by the run itself, with the run's key).</summary>
    public const string ImageDefinition = "plain-d12";

    /// <summary>The inventory: the first host only, or both (<paramref name="withReplica"/>), as an operator edits it to add a node.</summary>
    public string Inventory(bool withReplica)
    {
        var first = Hosts[0];
        return "# The push boot test's site, written by pigsty-boottest: existing Debian 12 hosts installed over SSH with deploy.\n"
            + "all:\n"
            + "  children:\n"
            + $"    infra: {{ hosts: {{ {first}: {{ infra_seq: 1 }} }} }}\n"
            + $"    etcd: {{ hosts: {{ {first}: {{ etcd_seq: 1 }} }}, vars: {{ etcd_cluster: etcd }} }}\n"
            + $"    {HaSite.Cluster}:\n"
            + "      hosts:\n"
            + $"        {first}: {{ pg_seq: 1, pg_role: primary }}\n"
            + (withReplica ? $"        {Hosts[1]}: {{ pg_seq: 2, pg_role: replica }}\n" : "")
            + "      vars:\n"
            + $"        pg_cluster: {HaSite.Cluster}\n"
            + "        pg_conf: tiny\n"
            + Passwords.UsersAndDatabase()
            + "  vars:\n"
            + $"    admin_ip: {first}\n"
            + $"    ansible_user: {AdminUser}\n"
            + "    pgbackrest_method: local\n"
            + $"    node_admin_pk_list: ['{Passwords.PublicKey}']\n";
    }

    /// <summary><c>pigsty-appliance image</c> of the plain definition with the run's public key, into <paramref name="output"/>, its summary as JSON.</summary>
    public static ProcessSpec ImageCommand(string cli, string bundle, string publicKeyFile, string output, string work) =>
        ProcessSpec.Of(cli, "image", "--image", ImageDefinition, "--bundle", bundle, "--authorized-key", publicKeyFile, "--output", output, "--work", work, "--json");

    /// <summary>
    /// <c>pigsty-appliance deploy</c> of <paramref name="inventory"/> with the run's key, pinning hosts in <paramref name="knownHosts"/> (written from
    /// the guests' consoles: no trust on first use); <paramref name="limit"/> deploys that host alone.
    /// </summary>
    public static ProcessSpec DeployCommand(string cli, string inventory, string site, string bundle, string key, string knownHosts, string logs, IPAddress? limit) =>
        new(cli, ["deploy", "--inventory", inventory, "--site", site, "--bundle", bundle, "--ssh-key", key, "--known-hosts", knownHosts,
            "--log-dir", logs, .. limit is null ? Array.Empty<string>() : new[] { "--limit", limit.ToString() }]);

    /// <summary>known_hosts lines pinning each host's keys as its console showed them (<c>ADDRESS TYPE BASE64</c>).</summary>
    public static string KnownHosts(IEnumerable<(IPAddress Host, IReadOnlyList<string> Keys)> hosts) =>
        string.Concat(hosts.SelectMany(h => h.Keys.Select(k => $"{h.Host} {k}\n")));
}
