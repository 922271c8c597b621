namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>The passwords the PGSQL files need, read from <c>Credentials</c> at apply time (seed-given or generated once).</summary>
public sealed record PgSecrets(string Replication, string Monitor, string Admin, string Patroni, string EtcdRoot, string? Dbsu)
{
    /// <summary>A password of a default role by its secret name.</summary>
    public string? Of(string secretName) => secretName switch
    {
        PgsqlSettings.ReplicationPasswordName => Replication,
        PgsqlSettings.MonitorPasswordName => Monitor,
        PgsqlSettings.AdminPasswordName => Admin,
        _ => null,
    };
}
