using System.Net;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>One instance behind a service: its name, where traffic goes, Patroni's port for the health check, weight and backup flag.</summary>
public sealed record PgServiceServer(string Name, IPAddress Address, int Port, int CheckPort, int Weight, bool Backup);
