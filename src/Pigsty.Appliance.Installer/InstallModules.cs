using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer;

/// <summary>
/// The module registry, in install order: NODE first, then INFRA, ETCD, MINIO, PGSQL (Pigsty's order). A new module is its own
/// folder under Modules/ plus one line in <see cref="Registrations"/>; every list that spans modules derives from the descriptors.
/// </summary>
/// <remarks>Named InstallModules, not Modules: a type named Modules would clash with the Modules/ folder's namespace.</remarks>
public static class InstallModules
{
    /// <summary>Every module, in the order the engine applies them: the one list a new module is added to.</summary>
    public static IReadOnlyList<ModuleRegistration> Registrations { get; } =
    [
        new(NodeModule.Descriptor, s => new NodeModule(s.Modules)),
        new(InfraModule.Descriptor, s => new InfraModule(s.Time, s.Modules)),
        new(EtcdModule.Descriptor, _ => new EtcdModule()),
        new(MinioModule.Descriptor, _ => new MinioModule()),
        new(PgsqlModule.Descriptor, _ => new PgsqlModule(new LocalNodeResources())),
    ];

    /// <summary>What every registered module says about itself, in install order.</summary>
    public static IReadOnlyList<ModuleDescriptor> Descriptors { get; } = Registrations.Select(r => r.Descriptor).ToList();

    /// <summary>The console milestones of every module, in install order (what a boot test waits for).</summary>
    public static IReadOnlyList<ConsoleMilestone> Milestones { get; } = Descriptors.SelectMany(d => d.Milestones).ToList();

    /// <summary>Every module, made for one install.</summary>
    public static IReadOnlyList<IModule> All(TimeProvider time)
    {
        var services = new ModuleServices(time, Descriptors);
        return Registrations.Select(r => r.Create(services)).ToList();
    }
}
