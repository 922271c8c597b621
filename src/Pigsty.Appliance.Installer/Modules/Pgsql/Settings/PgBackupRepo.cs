namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>The pgBackRest repository chosen by <c>pgbackrest_method</c>: its <c>repo1-*</c> options, secrets by name.</summary>
/// <param name="Options">Option name (Pigsty's spelling, <c>_</c> for <c>-</c>) and value; a value with a secret name is read from Credentials.</param>
public sealed record PgBackupRepo(string Method, IReadOnlyList<PgBackupOption> Options)
{
    /// <summary>The local POSIX repository's directory (only for <c>local</c>-style repositories).</summary>
    public string? LocalPath => Options.FirstOrDefault(o => o.Key == "path")?.Value is { } path
        && Options.All(o => o.Key != "type" || o.Value == "posix") ? path : null;
}
