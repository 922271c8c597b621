namespace Pigsty.Appliance.Installer.Modules;

/// <summary>What the registry hands a module it creates: the clock, and every registered module's descriptor (INFRA scrapes them all).</summary>
public sealed record ModuleServices(TimeProvider Time, IReadOnlyList<ModuleDescriptor> Modules);
