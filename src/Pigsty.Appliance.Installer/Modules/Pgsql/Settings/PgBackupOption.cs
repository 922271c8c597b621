namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>One <c>repo1-*</c> option: a literal value, or the name of a secret to read when rendering.</summary>
public sealed record PgBackupOption(string Key, string Value, string? Secret = null);
