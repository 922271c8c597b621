namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>An extension of a database, optionally in a schema.</summary>
public sealed record PgExtension(string Name, string? Schema);
