namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>The passwords the PGSQL files need, read from <c>Credentials</c> at apply time (seed-given or generated once).</summary>
/// <param name="Users">Passwords of <c>pg_users</c> the seed gave none for, by secret name (generated once, kept in credentials.yml).</param>
/// <param name="Etcd">The password of the cluster's own etcd user (never etcd's root).</param>
public sealed record PgSecrets(string Replication, string Monitor, string Admin, string Patroni, string Etcd, string? Dbsu,
    IReadOnlyDictionary<string, string>? Users = null)
{
    /// <summary>A role's password by its secret name.</summary>
    public string? Of(string secretName) => secretName switch
    {
        PgsqlSettings.ReplicationPasswordName => Replication,
        PgsqlSettings.MonitorPasswordName => Monitor,
        PgsqlSettings.AdminPasswordName => Admin,
        _ => Users?.GetValueOrDefault(secretName),
    };

    /// <summary>Every password value, for masking in logs.</summary>
    public IEnumerable<string> All => new[] { Replication, Monitor, Admin, Patroni, Etcd }.Concat(Users?.Values ?? []);
}
