using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>A Pigsty module (NODE, INFRA, ETCD, MINIO, PGSQL) that turns this node's view of the inventory into steps.</summary>
public interface IModule
{
    /// <summary>Upper-case module name as Pigsty spells it, e.g. <c>PGSQL</c>.</summary>
    string Name { get; }

    /// <summary>The module's steps for this node, or a skip reason when the module does not apply or cannot run.</summary>
    ModulePlan Plan(NodeContext node);
}
