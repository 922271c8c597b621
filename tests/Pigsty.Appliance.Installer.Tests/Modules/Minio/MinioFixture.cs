using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Tests.Modules.Minio;

/// <summary>Inventories with minio clusters, and nodes of them with or without MinIO in the bundle.</summary>
internal static class MinioFixture
{
    public static readonly IReadOnlyDictionary<string, string> Bundle = new Dictionary<string, string> { ["minio"] = "20250422", ["mcli"] = "20250416" };

    /// <summary>Three MinIO servers with four drives each, an INFRA node, and a PostgreSQL node that backs up to them.</summary>
    public const string ThreeNodes = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            etcd:  { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            minio:
              hosts:
                10.10.10.11: { minio_seq: 1 }
                10.10.10.12: { minio_seq: 2 }
                10.10.10.13: { minio_seq: 3 }
              vars: { minio_cluster: minio, minio_data: '/data{1...4}' }
            pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars:
            admin_ip: 10.10.10.10
            pgbackrest_method: minio
        """;

    public static NodeContext Node(string root, string inventory, string address, IReadOnlyDictionary<string, string>? repo = null) =>
        ModuleNodes.Create(root, inventory.EndsWith(".yml", StringComparison.Ordinal) ? ModuleNodes.Sample(inventory) : inventory, address, repo ?? Bundle);

    public static MinioSettings Settings(string root, string inventory, string address)
    {
        var node = Node(root, inventory, address);
        var (cluster, member) = node.Minio ?? throw new ArgumentException($"{address} is not a minio member");
        return MinioSettings.From(node.Vars, cluster, member);
    }
}
