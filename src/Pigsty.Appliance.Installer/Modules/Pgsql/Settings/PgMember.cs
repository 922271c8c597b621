using System.Net;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>An instance of the cluster as services see it: name, address, role, <c>pg_weight</c> and <c>pg_offline_query</c>.</summary>
public sealed record PgMember(string Name, IPAddress Address, PgRole Role, int Weight, bool OfflineQuery);
