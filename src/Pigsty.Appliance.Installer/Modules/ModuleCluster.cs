namespace Pigsty.Appliance.Installer.Modules;

/// <summary>A module's members in one inventory group: a named cluster (etcd, pg-meta), or the unnamed set of NODE or INFRA.</summary>
public sealed record ModuleCluster(string? Name, IReadOnlyList<ModuleMember> Members);
