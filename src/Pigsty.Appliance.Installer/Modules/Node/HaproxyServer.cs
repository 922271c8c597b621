namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>A server of a <c>haproxy_services</c> entry; <paramref name="Options"/> are appended as written (e.g. <c>check port 9000</c>).</summary>
public sealed record HaproxyServer(string Name, string Ip, int Port, bool Backup, int? Weight, string Options);
