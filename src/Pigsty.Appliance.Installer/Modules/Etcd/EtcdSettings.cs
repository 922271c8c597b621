using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>One etcd member's view of its cluster, with Pigsty's parameter names and defaults.</summary>
/// <param name="Self">This member (null on an INFRA node that only registers the cluster for monitoring).</param>
/// <param name="DataDir"><c>etcd_data</c>, <c>/data/etcd</c> by default.</param>
/// <param name="ClientPort"><c>etcd_port</c>, 2379 by default.</param>
/// <param name="PeerPort"><c>etcd_peer_port</c>, 2380 by default.</param>
/// <param name="InitialState"><c>etcd_init</c>: <c>new</c> (default) or <c>existing</c>.</param>
/// <param name="ElectionTimeout"><c>etcd_election_timeout</c> in ms, 1000 by default.</param>
/// <param name="HeartbeatInterval"><c>etcd_heartbeat_interval</c> in ms, 100 by default.</param>
public sealed record EtcdSettings(
    string Cluster,
    EtcdMember? Self,
    IReadOnlyList<EtcdMember> Members,
    string DataDir,
    int ClientPort,
    int PeerPort,
    string InitialState,
    int ElectionTimeout,
    int HeartbeatInterval)
{
    /// <summary>The Debian release of the bundle: etcd 3.4 (Debian 12) or 3.5 (Debian 13) reads the configuration.</summary>
    public TargetPlatform Platform { get; init; } = TargetPlatform.Debian12;

    /// <summary>Plain-http port for /metrics and /health, scraped by VictoriaMetrics (etcd's conventional metrics port).</summary>
    public const int MetricsPort = 2381;

    /// <summary>Where our etcd configuration, certificate and key live (as in Pigsty).</summary>
    public const string ConfigDirectory = "/etc/etcd";

    /// <summary>The configuration file etcd reads.</summary>
    public const string ConfigPath = ConfigDirectory + "/etcd.conf";

    /// <summary>The server (and peer) certificate.</summary>
    public const string CertificatePath = ConfigDirectory + "/server.crt";

    /// <summary>The key of the server certificate, readable by the etcd user only.</summary>
    public const string KeyPath = ConfigDirectory + "/server.key";

    /// <summary>The site CA, copied beside them.</summary>
    public const string CaPath = ConfigDirectory + "/ca.crt";

    /// <summary>The name of the secret holding the root user's password (<c>etcd_root_password</c>).</summary>
    public const string RootPasswordName = "etcd_root_password";

    /// <summary>Reads the cluster's settings; <paramref name="self"/> is this node's membership, if any; <paramref name="platform"/> the bundle's (default Debian 12).</summary>
    public static EtcdSettings From(VarSet vars, MemberCluster cluster, ClusterMember? self, TargetPlatform? platform = null)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(cluster);
        var members = cluster.Members.Select(m => new EtcdMember($"{cluster.Name}-{m.Seq}", m.Address)).ToList();
        var init = vars.Find("etcd_init") is { } value
            ? value.AsString() is "new" or "existing" ? value.AsString() : throw value.Error($"expected new or existing, got '{value.AsString()}'")
            : "new";
        return new EtcdSettings(
            cluster.Name,
            self is null ? null : members.Single(m => m.Address.Equals(self.Address)),
            members,
            vars.String("etcd_data", "/data/etcd"),
            vars.Int("etcd_port", 2379),
            vars.Int("etcd_peer_port", 2380),
            init,
            vars.Int("etcd_election_timeout", 1000),
            vars.Int("etcd_heartbeat_interval", 100))
        {
            Platform = platform ?? TargetPlatform.Debian12,
        };
    }

    /// <summary>This member; throws when the settings are for a non-member.</summary>
    public EtcdMember Member => Self ?? throw new InvalidOperationException($"this node is not a member of etcd cluster '{Cluster}'");

    /// <summary>The member that enables authentication (the lowest etcd_seq); the others wait for it.</summary>
    public EtcdMember First => Members[0];

    /// <summary>The static initial cluster: every member's name and peer URL.</summary>
    public string InitialCluster => string.Join(',', Members.Select(m => $"{m.Name}={Url("https", m.Address, PeerPort)}"));

    /// <summary>This member's client endpoint.</summary>
    public string ClientEndpoint => Url("https", Member.Address, ClientPort);

    /// <summary>Every member's client endpoint, comma-separated (what etcdctl and Patroni are given).</summary>
    public string ClientEndpoints => string.Join(',', Members.Select(m => Url("https", m.Address, ClientPort)));

    /// <summary>etcd's health endpoint on the plain-http metrics listener.</summary>
    public Uri HealthUri => new(Url("http", Member.Address, MetricsPort) + "/health");

    /// <summary><c>scheme://host:port</c>, with IPv6 hosts in brackets.</summary>
    public static string Url(string scheme, IPAddress address, int port) => $"{scheme}://{new IPEndPoint(address, port)}";
}
