using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer;

/// <summary>The modules in install order: NODE first, then INFRA, ETCD, MINIO, PGSQL (Pigsty's order).</summary>
public static class Modules
{
    /// <summary>Every module, in the order the engine applies them.</summary>
    public static IReadOnlyList<IModule> All() =>
    [
        // Modules register here as they land: NODE, INFRA, ETCD, MINIO, PGSQL.
    ];
}
