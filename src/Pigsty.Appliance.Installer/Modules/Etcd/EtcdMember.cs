using System.Net;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>One member of an etcd cluster: its name (<c>${etcd_cluster}-${etcd_seq}</c>) and node address.</summary>
public sealed record EtcdMember(string Name, IPAddress Address);
