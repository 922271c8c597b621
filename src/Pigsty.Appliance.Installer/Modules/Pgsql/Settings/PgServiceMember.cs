using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>One cluster member as services see it: the instance, its effective variables (what selectors read) and its ports.</summary>
/// <param name="PgbouncerPort">Null when the member runs no pgbouncer (<c>pgbouncer_enabled: false</c>).</param>
public sealed record PgServiceMember(PgMember Instance, Func<string, YamlValue?> Var, int Port, int? PgbouncerPort, int PatroniPort);
