using System.Net;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>A host's place in a sequenced group: INFRA (<c>infra_seq</c>), ETCD (<c>etcd_seq</c>) or MINIO (<c>minio_seq</c>).</summary>
public sealed record ClusterMember(IPAddress Address, int Seq);
