namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// What modules make for each other on a node: files they read and services they use. The steps that make one say so
/// (<c>Step.Giving</c>), the steps that read one say so (<c>Step.Needing</c>) and wait for all of its makers in the plan; when no
/// step of this node's plan makes it (e.g. the CA on a node without INFRA), there is nothing to wait for.
/// </summary>
public static class Outputs
{
    /// <summary>The bundled repository (/www/pigsty) verified against its repo_complete (first boot's check, run beside the steps).</summary>
    public const string Bundle = "bundle";

    /// <summary>The local repository is the node's package source and apt has read its index (NODE).</summary>
    public const string PackageSource = "package-source";

    /// <summary>This node's packages are installed (every module's package step): services start only after, with no dpkg beside them.</summary>
    public const string Packages = "packages";

    /// <summary><c>/etc/hosts</c> holds the site's names (NODE; MINIO adds its members' names). Steps that rewrite it give it too, one at a time.</summary>
    public const string EtcHosts = "etc-hosts";

    /// <summary>Kernel parameters and login limits for PostgreSQL are in effect (NODE).</summary>
    public const string KernelTuning = "kernel-tuning";

    /// <summary>chrony runs with NODE's configuration: INFRA's NTP server role adds a file and restarts it.</summary>
    public const string Chrony = "chrony";

    /// <summary>HAProxy runs and loads every service file in its conf.d (NODE): PGSQL adds its cluster's services there.</summary>
    public const string Haproxy = "haproxy";

    /// <summary>The site CA is on this node (INFRA): every service certificate is issued from it.</summary>
    public const string SiteCa = "site-ca";

    /// <summary>The contract directories under <c>/etc/pigsty</c> exist (INFRA): scrape targets, alert rules, DNS records.</summary>
    public const string ContractDirectories = "contract-directories";

    /// <summary>Alert rule files are in <c>/etc/pigsty/rules</c> (INFRA, ETCD, PGSQL): vmalert reads them when it starts.</summary>
    public const string AlertRules = "alert-rules";

    /// <summary>DNS record files are in <c>/etc/pigsty/dns</c> (INFRA, MINIO): dnsmasq reads them when it starts.</summary>
    public const string DnsRecords = "dns-records";

    /// <summary>etcd answers with authentication on (ETCD): Patroni's DCS.</summary>
    public const string Etcd = "etcd";

    /// <summary>MinIO's buckets and users exist (MINIO): pgBackRest's repository when it backs up to MinIO.</summary>
    public const string ObjectStorage = "object-storage";
}
