using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>One entry of the module registry: what the module says about itself, and how to make it.</summary>
public sealed record ModuleRegistration(ModuleDescriptor Descriptor, Func<ModuleServices, IModule> Create);
