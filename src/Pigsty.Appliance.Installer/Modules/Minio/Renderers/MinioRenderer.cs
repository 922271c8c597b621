using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Minio.Renderers;

/// <summary>Pure functions from <see cref="MinioSettings"/> to the files MinIO, mcli and monitoring read.</summary>
public static class MinioRenderer
{
    /// <summary>
    /// <c>/etc/default/minio</c>: volumes, listen options, root credentials and public metrics (Pigsty's MINIO_PROMETHEUS_AUTH_TYPE).
    /// The S3 API listens on the member's address (other members, pgBackRest on every PGSQL node and VictoriaMetrics on the
    /// INFRA node reach it there; metrics share its port, so they are as open as S3 is: to the site's networks, through the
    /// firewall). The console listens on loopback only: nothing but a person needs it, through an SSH tunnel.
    /// </summary>
    public static string Environment(MinioSettings settings, string rootSecret)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var options = $"--address {new System.Net.IPEndPoint(settings.Member.Address, settings.Port)} --console-address 127.0.0.1:{settings.AdminPort}"
            + (settings.Https ? $" --certs-dir {MinioSettings.CertsDirectory}" : "");
        var text = new StringBuilder();
        text.Append("# written by pigsty-appliance: MinIO ").Append(settings.Member.Name).Append(" of cluster ").Append(settings.Cluster)
            .Append(" (read by minio.service; root-only: holds the root credentials)\n");
        Line(text, "MINIO_VOLUMES", settings.Volumes);
        Line(text, "MINIO_OPTS", options);
        Line(text, "MINIO_ROOT_USER", settings.AccessKey);
        Line(text, "MINIO_ROOT_PASSWORD", rootSecret);
        Line(text, "MINIO_PROMETHEUS_AUTH_TYPE", "public");
        return text.ToString();
    }

    /// <summary>
    /// mcli's <c>config.json</c> (format version 10) with one alias for the cluster and its root credentials: what
    /// <c>mcli alias set</c> would write, without putting the secret on a command line.
    /// </summary>
    public static string McliConfig(MinioSettings settings, string rootSecret)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(rootSecret);
        var alias = new JsonObject
        {
            ["url"] = settings.Endpoint,
            ["accessKey"] = settings.AccessKey,
            ["secretKey"] = rootSecret,
            ["api"] = "s3v4",
            ["path"] = "auto",
        };
        var config = new JsonObject { ["version"] = "10", ["aliases"] = new JsonObject { [MinioSettings.Alias] = alias } };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>Our minio.service, which shadows the package's: only the environment file above decides what runs.</summary>
    public static SystemdUnit Unit(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SystemdUnit("minio.service", $"MinIO {settings.Member.Name} (Pigsty MINIO, cluster {settings.Cluster})",
        [
            ("Type", "simple"),
            ("User", settings.User),
            ("Group", settings.User),
            ("EnvironmentFile", MinioSettings.EnvironmentPath),
            ("ExecStart", "/usr/bin/minio server $MINIO_OPTS $MINIO_VOLUMES"),
            ("Restart", "always"),
            ("RestartSec", "5s"),
            ("LimitNOFILE", "1048576"),
            ("TasksMax", "infinity"),
            ("TimeoutStopSec", "infinity"),
            ("SendSIGKILL", "no"),
        ])
        {
            Comments =
            [
                "Replaces the minio package's unit, whose details may change between builds; everything comes from " + MinioSettings.EnvironmentPath + ".",
                "$MINIO_OPTS and $MINIO_VOLUMES are unquoted on purpose: systemd splits them into arguments at whitespace.",
            ],
            Unit = [("Documentation", "https://min.io/docs/minio/linux/index.html"), ("After", "network-online.target"), ("Wants", "network-online.target")],
        };
    }

    /// <summary>The policy of a user limited to one bucket: every S3 action on the bucket and its objects, nothing else.</summary>
    public static string BucketPolicy(string bucket) => $$"""
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Action": ["s3:*"],
              "Resource": ["arn:aws:s3:::{{bucket}}", "arn:aws:s3:::{{bucket}}/*"]
            }
          ]
        }

        """;

    /// <summary>One file_sd target per member: cluster metrics on the S3 port, https with the site CA (the scrape job trusts it).</summary>
    public static IReadOnlyList<ScrapeTarget> ScrapeTargets(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Members.Select(m => new ScrapeTarget("minio", m.Instance(settings.Cluster),
            [$"{new System.Net.IPEndPoint(m.Address, settings.Port)}"],
            ScrapeTarget.Identity(settings.Cluster, m.Instance(settings.Cluster), m.Address.ToString(), ("__scheme__", settings.Scheme)))).ToList();
    }

    /// <summary>Hosts-format records for INFRA's DNS (<c>/etc/pigsty/dns/minio-&lt;cluster&gt;</c>).</summary>
    public static string DnsRecords(MinioSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder("# written by pigsty-appliance (MINIO): names of minio cluster ").Append(settings.Cluster).Append('\n');
        foreach (var record in settings.HostRecords)
        {
            text.Append(record).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A value in an EnvironmentFile: double-quoted, with the characters systemd treats specially escaped.</summary>
    private static void Line(StringBuilder text, string key, string value) =>
        text.Append(key).Append("=\"").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("$", "\\$", StringComparison.Ordinal)).Append("\"\n");
}
