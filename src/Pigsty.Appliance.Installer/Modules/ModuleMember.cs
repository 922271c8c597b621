using System.Net;

namespace Pigsty.Appliance.Installer.Modules;

/// <summary>One node of a module as the inventory names it, e.g. <c>pg-meta-1 10.10.10.10 primary</c>.</summary>
public sealed record ModuleMember(string Label, IPAddress Address);
