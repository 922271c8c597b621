namespace Pigsty.Appliance.Installer.Modules;

/// <summary>One way into a module's service that the portal lists: where it leads, and a connection string per user it admits.</summary>
/// <param name="Group">The cluster the service belongs to, e.g. <c>pg-meta</c>.</param>
/// <param name="Name">The service, e.g. <c>primary</c> or <c>postgres on pg-meta-1</c>.</param>
/// <param name="Port">The port clients connect to.</param>
/// <param name="LeadsTo">Where the port leads and who it admits, in words.</param>
/// <param name="Logins">One connection string per user the service admits; empty when the service cannot tell (its listener decides).</param>
public sealed record ServiceConnection(string Group, string Name, int Port, string LeadsTo, IReadOnlyList<ServiceLogin> Logins);
