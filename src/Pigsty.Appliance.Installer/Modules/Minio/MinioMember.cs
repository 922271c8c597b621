using System.Net;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>One MinIO server: its <c>minio_seq</c>, node name (<c>minio_node</c>, e.g. <c>minio-1.pigsty</c>) and address.</summary>
public sealed record MinioMember(int Seq, string Name, IPAddress Address)
{
    /// <summary>The instance name used in monitoring labels: <c>${minio_cluster}-${minio_seq}</c>.</summary>
    public string Instance(string cluster) => $"{cluster}-{Seq}";
}
