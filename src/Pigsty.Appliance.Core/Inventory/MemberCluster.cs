namespace Pigsty.Appliance.Core.Inventory;

/// <summary>An ETCD or MINIO cluster: its name and members ordered by sequence number.</summary>
public sealed record MemberCluster(string Name, IReadOnlyList<ClusterMember> Members);
