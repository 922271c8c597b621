using System.Text;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>/etc/pgbackrest/pgbackrest.conf: one stanza named after the cluster and the repository of <c>pgbackrest_method</c>.</summary>
public static class PgbackrestRenderer
{
    /// <summary>Renders with the repository options resolved (secrets already read from Credentials, in option order).</summary>
    public static string Render(PgsqlSettings settings, IReadOnlyList<(string Key, string Value)> repository)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(repository);
        var cpus = settings.Node.Cpus;
        var text = new StringBuilder($"# pgBackRest for {settings.Self.Name}, written by pigsty-appliance (pgbackrest_method: {settings.Backup.Method})\n");
        text.Append('[').Append(settings.Cluster).Append("]\n");
        text.Append("pg1-path=").Append(settings.DataDir).Append('\n');
        text.Append("pg1-port=").Append(settings.Port).Append('\n');
        text.Append("pg1-socket-path=").Append(PgsqlSettings.SocketDir).Append("\n\n[global]\n");
        text.Append("archive-async=y\nspool-path=/pg/tmp\nstart-fast=y\nexpire-auto=y\ncompress-type=lz4\n");
        text.Append("annotation=pg_cluster=").Append(settings.Cluster).Append('\n');
        text.Append("log-level-console=info\nlog-level-file=detail\nlog-path=").Append(settings.LogDir).Append("/pgbackrest\n");
        text.Append("link-all=y\ndelta=y\n");
        foreach (var (key, value) in repository)
        {
            text.Append("repo1-").Append(key.Replace('_', '-')).Append('=').Append(value.Replace("${pg_cluster}", settings.Cluster, StringComparison.Ordinal)).Append('\n');
        }

        text.Append("\n[global:archive-push]\nprocess-max=").Append(Math.Min((int)Math.Ceiling(cpus / 2.0), 4)).Append('\n');
        text.Append("\n[global:archive-get]\nprocess-max=").Append(Math.Min((int)Math.Ceiling(cpus / 4.0), 2)).Append('\n');
        text.Append("\n[global:restore]\nprocess-max=").Append(Math.Min(cpus, 8)).Append('\n');
        return text.ToString();
    }
}
