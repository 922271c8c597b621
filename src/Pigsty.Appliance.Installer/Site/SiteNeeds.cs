using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>
/// What one node needs from the site: the certificates of the services it runs (the specs its modules install) and the names of
/// the secrets its modules read from Credentials that the inventory does not give. Nothing more reaches its seed.
/// </summary>
public static class SiteNeeds
{
    /// <summary>The service certificates the node's modules install, with the names and addresses they check.</summary>
    public static IReadOnlyList<ServerCertificate> Certificates(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var certificates = new List<ServerCertificate>();
        if (node.Infra is not null)
        {
            certificates.Add(SiteCertificates.NginxCertificate(InfraSettings.From(node)));
        }

        if (node.Etcd is var (etcd, etcdMember))
        {
            certificates.Add(EtcdSteps.Certificate(EtcdSettings.From(node.Vars, etcd, etcdMember)));
        }

        if (node.Minio is var (minio, minioMember) && MinioSettings.From(node.Vars, minio, minioMember) is { Https: true } minioSettings)
        {
            certificates.Add(MinioSteps.Certificate(minioSettings));
        }

        if (node.Pg is not null && node.Inventory.Etcd.Count > 0)
        {
            certificates.Add(PgsqlSteps.Certificate(PgsqlSettings.From(node, new LocalNodeResources())));
        }

        return certificates;
    }

    /// <summary>The names (as Credentials knows them) of the secrets the node's modules use and the inventory does not give it.</summary>
    public static IReadOnlyList<string> Secrets(NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var names = new List<string> { NodeSettings.HaproxyPasswordVar };
        if (node.Infra is not null)
        {
            names.AddRange([GrafanaConfig.PasswordVar, PortalUser.GeneratedPasswordVar]);
        }

        if (node.Etcd is var (etcd, member))
        {
            names.Add(EtcdSettings.RootPasswordName);
            if (etcd.Members[0] == member)
            {
                // The first member creates each PostgreSQL cluster's etcd user, with the password that cluster's Patroni logs in with.
                names.AddRange(node.Inventory.PgClusters.Where(c => PatroniEtcdUser.EtcdClusterOf(node.Inventory, c.Vars)?.Name == etcd.Name)
                    .Select(c => PatroniEtcdUser.Of(node.Inventory, c)).Where(u => u.Given is null).Select(u => u.GeneratedSecretName));
            }
        }

        if (node.Minio is var (minio, minioMember))
        {
            var settings = MinioSettings.From(node.Vars, minio, minioMember);
            names.Add(MinioSettings.RootSecretName);
            names.AddRange(settings.Users.Where(u => u.SecretKey is null).Select(u => u.SecretName));
        }

        if (node.Pg is not null && node.Inventory.Etcd.Count > 0)
        {
            var settings = PgsqlSettings.From(node, new LocalNodeResources());
            names.AddRange([PgsqlSettings.ReplicationPasswordName, PgsqlSettings.MonitorPasswordName, PgsqlSettings.AdminPasswordName, PgsqlSettings.PatroniPasswordName]);
            if (settings.EtcdUser.Given is null)
            {
                names.Add(settings.EtcdUser.GeneratedSecretName);
            }

            names.AddRange(settings.Users.Select(u => u.PasswordSecret).OfType<string>().Where(s => s.StartsWith("pg_user_", StringComparison.Ordinal)));
            names.AddRange(settings.Backup.Options.Select(o => o.Secret).OfType<string>());
        }

        return names.Where(n => node.Vars.Find(n) is null).Distinct(StringComparer.Ordinal).ToList();
    }
}
