using System.Globalization;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>One MinIO cluster as a member (or an INFRA node registering it) sees it, with Pigsty's parameter names and defaults.</summary>
/// <param name="Self">This member; null on a node that only registers or uses the cluster.</param>
/// <param name="Data"><c>minio_data</c>: <c>/data/minio</c> by default, or drives with an ellipsis such as <c>/data{1...4}</c>.</param>
/// <param name="Drives">The directories <see cref="Data"/> expands to on every member.</param>
public sealed record MinioSettings(
    string Cluster,
    MinioMember? Self,
    IReadOnlyList<MinioMember> Members,
    string Data,
    IReadOnlyList<string> Drives,
    string Domain,
    int Port,
    int AdminPort,
    string User,
    bool Https,
    string AccessKey,
    IReadOnlyList<MinioBucket> Buckets,
    IReadOnlyList<MinioUser> Users)
{
    /// <summary>The environment file our unit reads (MINIO_VOLUMES, MINIO_OPTS, root credentials): root-only.</summary>
    public const string EnvironmentPath = "/etc/default/minio";

    /// <summary>MinIO's <c>--certs-dir</c>: public.crt, private.key and CAs/ (the site CA).</summary>
    public const string CertsDirectory = "/etc/minio/certs";

    /// <summary>mcli's configuration (aliases with root credentials, the CA it trusts, our policy files): root-only.</summary>
    public const string McliDirectory = "/etc/pigsty/mcli";

    /// <summary>The credential with the root user's secret key when the seed does not set it (Pigsty: <c>minio_secret_key</c>).</summary>
    public const string RootSecretName = "minio_secret_key";

    /// <summary>Pigsty's <c>minio_alias</c>: the mcli alias for the cluster.</summary>
    public const string Alias = "sss";

    /// <summary>Reads the cluster's settings; <paramref name="self"/> is this node's membership, if any.</summary>
    public static MinioSettings From(VarSet vars, MemberCluster cluster, ClusterMember? self)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(cluster);
        var pattern = vars.String("minio_node", "${minio_cluster}-${minio_seq}.pigsty");
        var members = cluster.Members.Select(m => new MinioMember(m.Seq,
            pattern.Replace("${minio_cluster}", cluster.Name, StringComparison.Ordinal)
                .Replace("${minio_seq}", m.Seq.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), m.Address)).ToList();
        var (data, drives) = DataOf(vars);
        var buckets = vars.Find("minio_buckets") is { } list ? list.AsSequence().Items.Select(MinioBucket.Parse).ToList() : DefaultBuckets;
        return new MinioSettings(
            cluster.Name,
            self is null ? null : members.Single(m => m.Address.Equals(self.Address)),
            members,
            data,
            drives,
            vars.String("minio_domain", ObjectStorage.DefaultDomain),
            vars.Int("minio_port", ObjectStorage.DefaultPort),
            vars.Int("minio_admin_port", 9001),
            vars.String("minio_user", "minio"),
            vars.Bool("minio_https", true),
            vars.String("minio_access_key", "minioadmin"),
            buckets,
            vars.Find("minio_users") is { } users ? users.AsSequence().Items.Select(u => MinioUser.Parse(u, buckets)).ToList() : DefaultUsers);
    }

    /// <summary>Pigsty's <c>minio_buckets</c>.</summary>
    public static readonly IReadOnlyList<MinioBucket> DefaultBuckets = [new("pgsql"), new("meta", Versioning: true), new("data")];

    /// <summary>Pigsty's <c>minio_users</c>, with pgbackrest limited to its bucket instead of readwrite on every bucket.</summary>
    public static readonly IReadOnlyList<MinioUser> DefaultUsers = [new("dba", "consoleAdmin"), new("pgbackrest", "readwrite", Bucket: "pgsql")];

    /// <summary>This member; throws when the settings are for a non-member.</summary>
    public MinioMember Member => Self ?? throw new InvalidOperationException($"this node is not a member of minio cluster '{Cluster}'");

    /// <summary>The member that creates buckets and users (the lowest minio_seq).</summary>
    public MinioMember First => Members[0];

    public string Scheme => Https ? "https" : "http";

    /// <summary>
    /// MINIO_VOLUMES: the drives on a single node; on several nodes every member's URL, written with MinIO's ellipsis
    /// (<c>https://minio-{1...3}.pigsty:9000/data/minio</c>) when the names differ only by consecutive sequence numbers.
    /// </summary>
    public string Volumes
    {
        get
        {
            if (Members.Count == 1)
            {
                return Data;
            }

            var (first, last) = (Members[0].Seq, Members[^1].Seq);
            var expanded = Members.Select(m => m.Seq).SequenceEqual(Enumerable.Range(first, last - first + 1))
                ? NodeEllipsis(first, last)
                : null;
            return expanded is not null
                ? $"{Scheme}://{expanded}:{Port}{Data}"
                : string.Join(' ', Members.Select(m => $"{Scheme}://{m.Name}:{Port}{Data}"));
        }
    }

    /// <summary>MinIO's liveness endpoint on this member's address.</summary>
    public Uri LiveUri => new($"{Scheme}://{HostAddress.ForUri(Member.Address)}:{Port}/minio/health/live");

    /// <summary>MinIO's cluster (write quorum) endpoint on this member's address.</summary>
    public Uri ClusterUri => new($"{Scheme}://{HostAddress.ForUri(Member.Address)}:{Port}/minio/health/cluster");

    /// <summary>The S3 endpoint clients use: <c>https://sss.pigsty:9000</c>.</summary>
    public string Endpoint => $"{Scheme}://{Domain}:{Port}";

    /// <summary>Records for <c>/etc/hosts</c> (and INFRA's DNS): every member's name, and the domain on the first member.</summary>
    /// <remarks>The domain points at one member: pgBackRest and mcli need one endpoint, and any member serves the whole cluster.</remarks>
    public IReadOnlyList<string> HostRecords =>
        [.. Members.Select(m => $"{m.Address} {m.Name}"), $"{(Self ?? First).Address} {Domain}"];

    /// <summary>The member names with the sequence number replaced by an ellipsis, when the names have that shape.</summary>
    private string? NodeEllipsis(int first, int last)
    {
        var name = Members[0].Name;
        var seq = first.ToString(CultureInfo.InvariantCulture);
        var at = name.IndexOf(seq, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var candidate = name[..at] + "{" + seq + "..." + last.ToString(CultureInfo.InvariantCulture) + "}" + name[(at + seq.Length)..];
        var prefix = name[..at];
        var suffix = name[(at + seq.Length)..];
        return Members.All(m => m.Name == prefix + m.Seq.ToString(CultureInfo.InvariantCulture) + suffix) ? candidate : null;
    }

    private static (string Data, IReadOnlyList<string> Drives) DataOf(VarSet vars)
    {
        var value = vars.Find("minio_data");
        var data = value?.AsString() ?? "/data/minio";
        var match = MinioNames.DataPattern().Match(data);
        if (!match.Success || data.Contains("//", StringComparison.Ordinal) || data.Split('/').Contains(".."))
        {
            throw Error(value, $"minio_data '{data}' is not an absolute path, optionally with one MinIO ellipsis such as /data{{1...4}}");
        }

        if (!match.Groups["from"].Success)
        {
            return (data, [data.Length > 1 ? data.TrimEnd('/') : data]);
        }

        var from = int.Parse(match.Groups["from"].Value, CultureInfo.InvariantCulture);
        var to = int.Parse(match.Groups["to"].Value, CultureInfo.InvariantCulture);
        if (from >= to || to - from > 63)
        {
            throw Error(value, $"minio_data '{data}': the ellipsis {{{from}...{to}}} must count up, at most 64 drives");
        }

        var head = match.Groups["head"].Value;
        var tail = match.Groups["tail"].Value;
        return (data, Enumerable.Range(from, to - from + 1).Select(i => head + i.ToString(CultureInfo.InvariantCulture) + tail).ToList());
    }

    private static Core.Errors.InputException Error(YamlValue? value, string message) =>
        value?.Error(message) ?? new Core.Errors.InputException("minio_data", message);
}
