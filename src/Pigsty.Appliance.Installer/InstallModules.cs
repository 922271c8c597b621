using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer;

/// <summary>The modules in install order: NODE first, then INFRA, ETCD, MINIO, PGSQL (Pigsty's order).</summary>
/// <remarks>Named InstallModules, not Modules: a type named Modules would clash with the Modules/ folder's namespace.</remarks>
public static class InstallModules
{
    /// <summary>Every module, in the order the engine applies them.</summary>
    public static IReadOnlyList<IModule> All(TimeProvider time) =>
    [
        new NodeModule(),
        new InfraModule(time),
        new EtcdModule(),
        new MinioModule(),
        new PgsqlModule(new LocalNodeResources()),
    ];

    /// <summary>The packages of the named modules (node, infra, etcd, minio, pgsql) an image can install at build time.</summary>
    public static IReadOnlyList<string> PackagesOf(IEnumerable<string> modules) =>
        modules.SelectMany(m => m switch
        {
            "node" => NodeModule.DefaultPackages,
            "infra" => InfraModule.DefaultPackages,
            "etcd" => EtcdModule.Packages,
            "pgsql" => PgsqlModule.Packages,
            "minio" => MinioModule.Packages,
            _ => throw new ArgumentException($"unknown module '{m}'", nameof(modules)),
        }).Distinct(StringComparer.Ordinal).ToList();
}
