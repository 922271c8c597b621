using System.Net;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>One PostgreSQL instance's view of its cluster, with Pigsty's parameter names and defaults (the PostgreSQL major the bundle carries).</summary>
public sealed record PgsqlSettings
{
    public const string SocketDir = "/var/run/postgresql";
    public const string CertDir = "/pg/cert";
    public const string PatroniConfigPath = "/etc/patroni/patroni.yml";
    public const string PgbouncerDir = "/etc/pgbouncer";
    public const string PgbackrestConfigPath = "/etc/pgbackrest/pgbackrest.conf";
    public const string ExporterEnvPath = "/etc/pigsty/pg_exporter.env";
    public const string ReplicationPasswordName = "pg_replication_password";
    public const string MonitorPasswordName = "pg_monitor_password";
    public const string AdminPasswordName = "pg_admin_password";
    public const string PatroniPasswordName = "patroni_password";

    public required string Cluster { get; init; }

    /// <summary>The PostgreSQL major (<c>pg_version</c>, checked against the bundle; default the bundle's): no default here, so nothing assumes one.</summary>
    public required int Version { get; init; }

    /// <summary>The Debian release of the bundle (Patroni's major among what it decides).</summary>
    public Core.Contract.TargetPlatform Platform { get; init; } = Core.Contract.TargetPlatform.Debian12;

    /// <summary>Where Debian installs this major's binaries.</summary>
    public string BinDir => $"/usr/lib/postgresql/{Version.ToString(System.Globalization.CultureInfo.InvariantCulture)}/bin";

    /// <summary>Packages beyond the module's base list: from pg_packages, pg_extensions and pg_libs, each in the bundle.</summary>
    public IReadOnlyList<string> ExtraPackages { get; init; } = [];

    /// <summary>What package resolution could not give (extras of Pigsty's aliases the bundle lacks), for the plan's notes.</summary>
    public IReadOnlyList<string> PackageNotes { get; init; } = [];

    /// <summary>This instance (<c>${pg_cluster}-${pg_seq}</c>).</summary>
    public required PgMember Self { get; init; }

    /// <summary>Every instance of the cluster, by <c>pg_seq</c>.</summary>
    public required IReadOnlyList<PgMember> Members { get; init; }

    public required IPAddress AdminIp { get; init; }

    public required IReadOnlyList<IPAddress> InfraIps { get; init; }

    /// <summary>etcd client endpoints (host:port) Patroni uses as its DCS.</summary>
    public required IReadOnlyList<string> EtcdHosts { get; init; }

    /// <summary>The etcd user Patroni logs in with (the cluster's own, created by ETCD's first member).</summary>
    public required PatroniEtcdUser EtcdUser { get; init; }

    public required NodeResources Node { get; init; }

    public required PgTuning Tuning { get; init; }

    public string DataDir { get; init; } = "/pg/data";

    public int Port { get; init; } = 5432;

    public int PatroniPort { get; init; } = 8008;

    public int PgbouncerPort { get; init; } = 6432;

    public int ExporterPort { get; init; } = 9630;

    public int PgbouncerExporterPort { get; init; } = 9631;

    public string Namespace { get; init; } = "/pg";

    public string Dbsu { get; init; } = "postgres";

    public string ReplicationUser { get; init; } = "replicator";

    public string AdminUser { get; init; } = "dbuser_dba";

    public string MonitorUser { get; init; } = "dbuser_monitor";

    public string PatroniUser { get; init; } = "postgres";

    public string PoolMode { get; init; } = "transaction";

    public string Libraries { get; init; } = "pg_stat_statements, auto_explain";

    /// <summary><c>pg_rto</c>: Patroni's timeouts and HAProxy's health checks.</summary>
    public PgRto Rto { get; init; } = PgRto.Presets["norm"];

    /// <summary><c>pg_rpo</c>: bytes of lag a replica may have and still be promoted; 0 means synchronous commit.</summary>
    public long Rpo { get; init; } = 1048576;

    /// <summary>The cluster's HAProxy services (<c>pg_default_services</c> + <c>pg_services</c>), resolved against its members.</summary>
    public IReadOnlyList<PgServiceRoute> Services { get; init; } = [];

    public string Encoding { get; init; } = "UTF8";

    public string Locale { get; init; } = "C";

    public string LcCollate { get; init; } = "C";

    public string LcCtype { get; init; } = "C";

    public bool PgbouncerEnabled { get; init; } = true;

    /// <summary><c>pg_crontab</c>, run as the dbsu; null when unset (the appliance's daily full backup timer runs instead).</summary>
    public IReadOnlyList<CronEntry>? Crontab { get; init; }

    /// <summary><c>pg_exporter_enabled</c>.</summary>
    public bool ExporterEnabled { get; init; } = true;

    /// <summary><c>pgbouncer_exporter_enabled</c> (and pgbouncer itself).</summary>
    public bool PgbouncerExporterEnabled { get; init; } = true;

    public bool BackupEnabled { get; init; } = true;

    public bool InitialBackup { get; init; } = true;

    public required PgBackupRepo Backup { get; init; }

    public required IReadOnlyList<PgUser> Users { get; init; }

    /// <summary>Databases to create: <c>pg_databases</c> entries except <c>state: absent</c> (recreate ones are created again).</summary>
    public required IReadOnlyList<PgDatabase> Databases { get; init; }

    /// <summary><c>pg_default_privileges</c>: granted for objects the dbsu, the admin user and dbrole_admin (and each owner) create.</summary>
    public IReadOnlyList<string> DefaultPrivileges { get; init; } = Renderers.SqlRenderer.DefaultPrivileges;

    /// <summary><c>pg_default_schemas</c>: created in template1 and postgres (so in every database created afterwards).</summary>
    public IReadOnlyList<PgSchema> DefaultSchemas { get; init; } = [new("monitor", null, false)];

    /// <summary><c>pg_default_extensions</c>: created in template1 and postgres; those the bundle lacks are skipped with a note.</summary>
    public IReadOnlyList<PgExtension> DefaultExtensions { get; init; } = DefaultExtensionList;

    /// <summary><c>pg_users</c> entries with <c>state: absent</c>: dropped on the primary, their objects reassigned to the dbsu.</summary>
    public IReadOnlyList<string> DroppedUsers { get; init; } = [];

    /// <summary><c>pg_databases</c> entries with <c>state: absent</c> or <c>recreate</c>: dropped on the primary.</summary>
    public IReadOnlyList<string> DroppedDatabases { get; init; } = [];

    public required IReadOnlyList<HbaRule> HbaRules { get; init; }

    public required IReadOnlyList<HbaRule> PgbHbaRules { get; init; }

    /// <summary><c>pg_parameters</c>: overrides on top of the profile, applied on every instance.</summary>
    public IReadOnlyList<(string Name, string Value)> Parameters { get; init; } = [];

    /// <summary>The cluster VIP (<c>pg_vip_enabled</c>), held by the leader through Patroni's callbacks; null when disabled.</summary>
    public PgVip? Vip { get; init; }

    /// <summary>The instance that bootstraps the cluster (<c>pg_role: primary</c>).</summary>
    public PgMember Primary => Members.Single(m => m.Role == PgRole.Primary);

    public bool IsPrimary => Self.Role == PgRole.Primary;

    public string LogDir => "/pg/log";

    /// <summary>Reads this node's instance from the inventory; <paramref name="resources"/> supplies CPUs, RAM and disk.</summary>
    public static PgsqlSettings From(NodeContext node, INodeResources resources)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(resources);
        var (cluster, instance) = node.Pg ?? throw new InvalidOperationException($"{node.Address} is not a PostgreSQL instance");
        var vars = node.Vars;
        CheckMinio(node, vars);
        var members = cluster.Instances.Select(i => Member(node.Inventory, i)).ToList();
        var etcd = PatroniEtcdUser.EtcdClusterOf(node.Inventory, vars);
        var etcdPort = vars.Int("etcd_port", 2379);
        var dataDir = vars.String("pg_data", "/pg/data");
        var fsMain = vars.String("pg_fs_main", "/data");
        var hosts = etcd?.Members.Select(m => new IPEndPoint(m.Address, etcdPort).ToString()).ToList() ?? [];
        var business = Business(vars);
        var version = PgPackages.Version(vars, node.Repo);
        var packageNotes = new List<string>();
        var extraPackages = PgPackages.Resolve(version, vars, node.Repo, packageNotes);
        var names = NamesOf(vars);
        return new PgsqlSettings
        {
            Cluster = cluster.Name,
            Version = version,
            Platform = node.Repo.Platform,
            ExtraPackages = extraPackages,
            PackageNotes = packageNotes,
            Self = members.Single(m => m.Address.Equals(instance.Address)),
            Members = members,
            AdminIp = node.AdminIp,
            InfraIps = node.Inventory.Infra.Select(m => m.Address).ToList(),
            EtcdHosts = hosts,
            EtcdUser = PatroniEtcdUser.Of(node.Inventory, cluster),
            Node = resources.Read(fsMain),
            Tuning = PgTuning.Compute(vars, resources.Read(fsMain)),
            DataDir = dataDir,
            Port = vars.Int("pg_port", 5432),
            PatroniPort = vars.Int("patroni_port", 8008),
            PgbouncerPort = vars.Int("pgbouncer_port", 6432),
            ExporterPort = vars.Int("pg_exporter_port", 9630),
            PgbouncerExporterPort = vars.Int("pgbouncer_exporter_port", 9631),
            Namespace = vars.String("pg_namespace", "/pg"),
            Dbsu = names.Dbsu,
            ReplicationUser = names.Repl,
            AdminUser = names.Admin,
            MonitorUser = names.Monitor,
            PatroniUser = vars.String("patroni_username", "postgres"),
            PoolMode = PoolModeOf(vars),
            Libraries = vars.String("pg_libs", "pg_stat_statements, auto_explain"),
            Rto = PgRto.Parse(vars.Find("pg_rto"), vars.Find("pg_rto_plan")),
            Rpo = RpoOf(vars),
            Services = ServicesOf(node.Inventory, cluster, vars),
            Encoding = vars.String("pg_encoding", "UTF8"),
            Locale = vars.String("pg_locale", "C"),
            LcCollate = vars.String("pg_lc_collate", "C"),
            LcCtype = vars.String("pg_lc_ctype", "C"),
            PgbouncerEnabled = vars.Bool("pgbouncer_enabled", true),
            ExporterEnabled = vars.Bool("pg_exporter_enabled", true),
            Crontab = vars.Find("pg_crontab")?.AsSequence().Items.Select(l => CronEntry.Parse(l, names.Dbsu)).ToList(),
            PgbouncerExporterEnabled = vars.Bool("pgbouncer_exporter_enabled", true),
            BackupEnabled = vars.Bool("pgbackrest_enabled", true),
            InitialBackup = vars.Bool("pgbackrest_init_backup", true),
            Backup = BackupRepo(vars),
            Users = UsersOf(vars),
            DroppedUsers = business.Users.Where(u => u.Absent).Select(u => u.Name).ToList(),
            Databases = DatabasesOf(vars),
            DefaultPrivileges = vars.Find("pg_default_privileges") is { } privileges
                ? privileges.AsSequence().Items.Select(Privilege).ToList() : Renderers.SqlRenderer.DefaultPrivileges,
            DefaultSchemas = vars.Find("pg_default_schemas") is { } schemas ? schemas.AsSequence().Items.Select(PgSchema.Parse).ToList() : [new("monitor", null, false)],
            DefaultExtensions = vars.Find("pg_default_extensions") is { } extensions ? extensions.AsSequence().Items.Select(PgExtension.Parse).ToList() : DefaultExtensionList,
            DroppedDatabases = business.Databases.Where(d => d.State != "create").Select(d => d.Name).ToList(),
            HbaRules = [.. (vars.Find("pg_default_hba_rules") is null ? DefaultHba : List(vars, "pg_default_hba_rules", HbaRule.Parse)),
                .. List(vars, "pg_hba_rules", HbaRule.Parse)],
            PgbHbaRules = [.. (vars.Find("pgb_default_hba_rules") is null ? DefaultPgbHba : List(vars, "pgb_default_hba_rules", HbaRule.Parse)),
                .. List(vars, "pgb_hba_rules", HbaRule.Parse)],
            Parameters = vars.Find("pg_parameters") is YamlMapping map ? map.Entries.Select(e => (e.Key, e.Value.AsString())).ToList() : [],
            Vip = PgVip.From(vars),
        };
    }

    /// <summary>The cluster's roles as <see cref="Users"/> holds them: the default roles, then the <c>pg_users</c> being created.</summary>
    public static IReadOnlyList<PgUser> UsersOf(VarSet vars) => [.. DefaultRoles(vars, NamesOf(vars)), .. Business(vars).Users.Where(u => !u.Absent)];

    /// <summary>The cluster's <c>pg_databases</c> being created, as <see cref="Databases"/> holds them.</summary>
    public static IReadOnlyList<PgDatabase> DatabasesOf(VarSet vars) => Business(vars).Databases.Where(d => !d.Absent).ToList();

    private static (string Dbsu, string Repl, string Admin, string Monitor) NamesOf(VarSet vars) =>
        (vars.String("pg_dbsu", "postgres"), vars.String("pg_replication_username", "replicator"),
            vars.String("pg_admin_username", "dbuser_dba"), vars.String("pg_monitor_username", "dbuser_monitor"));

    /// <summary>
    /// <c>pg_users</c> and <c>pg_databases</c> with their states. What Pigsty would skip in silence is an error here: dropping a
    /// default role or a system database, a name listed twice, or a database kept for an owner being dropped.
    /// </summary>
    private static (IReadOnlyList<PgUser> Users, IReadOnlyList<PgDatabase> Databases) Business(VarSet vars)
    {
        var users = List(vars, "pg_users", PgUser.Parse);
        var databases = List(vars, "pg_databases", PgDatabase.Parse);
        var protectedRoles = new[] { vars.String("pg_dbsu", "postgres"), vars.String("pg_replication_username", "replicator"),
            vars.String("pg_admin_username", "dbuser_dba"), vars.String("pg_monitor_username", "dbuser_monitor") };
        for (var i = 0; i < users.Count; i++)
        {
            var at = vars.Find("pg_users")!.AsSequence().Items[i];
            if (users.Take(i).Any(u => u.Name == users[i].Name))
            {
                throw at.Error($"user '{users[i].Name}' is listed twice in pg_users");
            }

            if (users[i].Absent && protectedRoles.Contains(users[i].Name))
            {
                throw at.Error($"user '{users[i].Name}' has state: absent, but the dbsu, replication, admin and monitor users are never dropped");
            }
        }

        for (var i = 0; i < databases.Count; i++)
        {
            var at = vars.Find("pg_databases")!.AsSequence().Items[i];
            var database = databases[i];
            if (databases.Take(i).Any(d => d.Name == database.Name))
            {
                throw at.Error($"database '{database.Name}' is listed twice in pg_databases");
            }

            if (database.State != "create" && database.Name is "postgres" or "template0" or "template1")
            {
                throw at.Error($"database '{database.Name}' has state: {database.State}, but system databases are never dropped");
            }

            if (!database.Absent && database.Owner is { } owner && users.Any(u => u.Absent && u.Name == owner))
            {
                throw at.Error($"database '{database.Name}' is owned by '{owner}', which has state: absent in pg_users");
            }
        }

        return (users, databases);
    }

    /// <summary>Pigsty's <c>pg_default_extensions</c>: the monitoring ones in schema monitor, the rest in public.</summary>
    public static readonly IReadOnlyList<PgExtension> DefaultExtensionList =
    [
        .. new[] { "pg_stat_statements", "pgstattuple", "pg_buffercache", "pageinspect", "pg_prewarm", "pg_visibility", "pg_freespacemap" }
            .Select(n => new PgExtension(n, "monitor")),
        .. new[] { "postgres_fdw", "file_fdw", "btree_gist", "btree_gin", "pg_trgm", "intagg", "intarray" }.Select(n => new PgExtension(n, "public")),
        new("pg_repack", null),
    ];

    /// <summary>An entry of <c>pg_default_privileges</c>: GRANT … TO or REVOKE … FROM, one statement (it is spliced after ALTER DEFAULT PRIVILEGES).</summary>
    private static string Privilege(YamlValue value)
    {
        var text = string.Join(' ', value.AsString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return System.Text.RegularExpressions.Regex.IsMatch(text, "^(GRANT|REVOKE) [A-Za-z ,]+ ON (TABLES|SEQUENCES|FUNCTIONS|ROUTINES|TYPES|SCHEMAS) (TO|FROM) [A-Za-z0-9_\"+ ,-]+$",
                System.Text.RegularExpressions.RegexOptions.IgnoreCase)
            ? text
            : throw value.Error($"'{text}' is not a default privilege (expected GRANT <privileges> ON TABLES|SEQUENCES|FUNCTIONS|TYPES|SCHEMAS TO <role>)");
    }

    /// <summary>Pigsty's <c>pg_default_hba_rules</c>.</summary>
    public static readonly IReadOnlyList<HbaRule> DefaultHba =
    [
        HbaRule.Of("${dbsu}", "all", "local", "ident", "dbsu access via local os user ident"),
        HbaRule.Of("${dbsu}", "replication", "local", "ident", "dbsu replication from local os ident"),
        HbaRule.Of("${repl}", "replication", "localhost", "pwd", "replicator replication from localhost"),
        HbaRule.Of("${repl}", "replication", "intra", "pwd", "replicator replication from intranet"),
        HbaRule.Of("${repl}", "postgres", "intra", "pwd", "replicator postgres db from intranet"),
        HbaRule.Of("${monitor}", "all", "localhost", "pwd", "monitor from localhost with password"),
        HbaRule.Of("${monitor}", "all", "infra", "pwd", "monitor from infra host with password"),
        HbaRule.Of("${admin}", "all", "infra", "ssl", "admin @ infra nodes with pwd & ssl"),
        HbaRule.Of("${admin}", "all", "world", "ssl", "admin @ everywhere with ssl & pwd"),
        HbaRule.Of("+dbrole_readonly", "all", "localhost", "pwd", "pgbouncer read/write via local socket"),
        HbaRule.Of("+dbrole_readonly", "all", "intra", "pwd", "read/write biz user via password"),
        HbaRule.Of("+dbrole_offline", "all", "intra", "pwd", "allow etl offline tasks from intranet"),
    ];

    /// <summary>Pigsty's <c>pgb_default_hba_rules</c>.</summary>
    public static readonly IReadOnlyList<HbaRule> DefaultPgbHba =
    [
        HbaRule.Of("${dbsu}", "pgbouncer", "local", "peer", "dbsu local admin access with os ident"),
        HbaRule.Of("all", "all", "localhost", "pwd", "allow all user local access with pwd"),
        HbaRule.Of("${monitor}", "pgbouncer", "intra", "pwd", "monitor access via intranet with pwd"),
        HbaRule.Of("${monitor}", "all", "world", "deny", "reject all other monitor access addr"),
        HbaRule.Of("${admin}", "all", "intra", "pwd", "admin access via intranet with pwd"),
        HbaRule.Of("${admin}", "all", "world", "deny", "reject all other admin access addr"),
        HbaRule.Of("all", "all", "intra", "pwd", "allow all user intra access with pwd"),
    ];

    /// <summary>Pigsty's <c>pg_default_roles</c>: the role groups, dbsu, replicator, admin and monitor (passwords from Credentials).</summary>
    private static IReadOnlyList<PgUser> DefaultRoles(VarSet vars, (string Dbsu, string Repl, string Admin, string Monitor) names) =>
        vars.Find("pg_default_roles") is not null
            ? List(vars, "pg_default_roles", PgUser.Parse)
            :
            [
                new PgUser("dbrole_readonly") { Login = false, Comment = "role for global read-only access" },
                new PgUser("dbrole_offline") { Login = false, Comment = "role for restricted read-only access" },
                new PgUser("dbrole_readwrite") { Login = false, Roles = ["dbrole_readonly"], Comment = "role for global read-write access" },
                new PgUser("dbrole_admin") { Login = false, Roles = ["pg_monitor", "dbrole_readwrite"], Comment = "role for object creation" },
                new PgUser(names.Dbsu) { Superuser = true, Comment = "system superuser" },
                new PgUser(names.Repl) { Replication = true, Roles = ["pg_monitor", "dbrole_readonly"], Comment = "system replicator", PasswordSecret = ReplicationPasswordName },
                new PgUser(names.Admin)
                {
                    Superuser = true, Roles = ["dbrole_admin"], Pgbouncer = true, PoolMode = "session", PoolConnectionLimit = 16,
                    Comment = "pgsql admin user", PasswordSecret = AdminPasswordName,
                },
                new PgUser(names.Monitor)
                {
                    Roles = ["pg_monitor", "dbrole_readonly"], Pgbouncer = true, Parameters = [("log_min_duration_statement", "1000")],
                    PoolMode = "session", PoolConnectionLimit = 8, Comment = "pgsql monitor user", PasswordSecret = MonitorPasswordName,
                },
            ];

    /// <summary><c>pg_rpo</c> in bytes (an integer, as Pigsty reads it; 0 turns on synchronous mode).</summary>
    public static long RpoOf(VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (vars.Find("pg_rpo") is not { } value)
        {
            return 1048576;
        }

        return long.TryParse(value.AsString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : throw value.Error($"pg_rpo '{value.AsString()}' is not a number of bytes (e.g. 1048576; 0 for synchronous commit)");
    }

    /// <summary>
    /// The services of the cluster as this instance renders them: each member read with its own variables (ports, weight, whether
    /// it runs pgbouncer), so every node writes the same file. Ports must be unique: HAProxy would not start otherwise.
    /// </summary>
    public static IReadOnlyList<PgServiceRoute> ServicesOf(PigstyInventory inventory, PgCluster cluster, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(vars);
        var definitions = PgService.Of(vars);
        var clash = definitions.GroupBy(d => d.Port).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            var at = vars.Find("pg_services") ?? vars.Find("pg_default_services")!;
            throw at.Error($"services {string.Join(" and ", clash.Select(d => d.Name))} of cluster '{cluster.Name}' both use port {clash.Key}");
        }

        var destination = vars.Find("pg_default_service_dest") is { } dest ? dest.AsString() : "pgbouncer";
        if (destination is not ("pgbouncer" or "postgres"))
        {
            throw vars.Find("pg_default_service_dest")!.Error($"pg_default_service_dest '{destination}' is not pgbouncer or postgres");
        }

        var members = cluster.Instances.Select(i =>
        {
            var memberVars = inventory.FindHost(i.Address)!.Vars;
            return new PgServiceMember(Member(inventory, i), memberVars.Find, memberVars.Int("pg_port", 5432),
                memberVars.Bool("pgbouncer_enabled", true) ? memberVars.Int("pgbouncer_port", 6432) : null, memberVars.Int("patroni_port", 8008));
        }).ToList();
        var rto = PgRto.Parse(vars.Find("pg_rto"), vars.Find("pg_rto_plan"));
        return definitions.Select(d => PgServiceRoute.Resolve(d, members, destination, rto.HaproxyDefaultServer)).ToList();
    }

    private static PgMember Member(PigstyInventory inventory, PgInstance instance)
    {
        var vars = inventory.FindHost(instance.Address)!.Vars;
        return new PgMember(instance.Name, instance.Address, instance.Role, vars.Int("pg_weight", 100), vars.Bool("pg_offline_query", false));
    }

    private static string PoolModeOf(VarSet vars) => vars.Find("pgbouncer_poolmode") is { } value
        ? value.AsString() is "transaction" or "session" or "statement" ? value.AsString()
            : throw value.Error($"unknown pool mode '{value.AsString()}' (expected transaction, session or statement)")
        : "transaction";

    private static IReadOnlyList<T> List<T>(VarSet vars, string name, Func<YamlValue, T> parse) =>
        vars.Find(name) is { } value ? value.AsSequence().Items.Select(parse).ToList() : [];

    /// <summary><c>pgbackrest_method</c> picks a repository from Pigsty's defaults, overridden per key by <c>pgbackrest_repo</c>.</summary>
    private static PgBackupRepo BackupRepo(VarSet vars)
    {
        var method = vars.String("pgbackrest_method", "local");
        var defaults = new Dictionary<string, IReadOnlyList<PgBackupOption>>(StringComparer.Ordinal)
        {
            ["local"] =
            [
                new("path", "/pg/backup"), new("retention_full_type", "count"), new("retention_full", "2"),
            ],
            ["minio"] =
            [
                new("type", "s3"), new("s3_endpoint", ObjectStorage.DefaultDomain), new("s3_region", "us-east-1"), new("s3_bucket", "pgsql"),
                new("s3_key", "pgbackrest"), new("s3_key_secret", "", ObjectStorage.UserSecretName("pgbackrest")), new("s3_uri_style", "path"),
                new("path", "/pgbackrest"), new("storage_port", ObjectStorage.DefaultPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("storage_ca_file", "/etc/pki/ca.crt"), new("block", "y"), new("bundle", "y"), new("bundle_limit", "20MiB"), new("bundle_size", "128MiB"),
                new("cipher_type", "aes-256-cbc"), new("cipher_pass", "", "pgbackrest_cipher_pass"),
                new("retention_full_type", "time"), new("retention_full", "14"),
            ],
        };
        var given = (vars.Find("pgbackrest_repo") as YamlMapping)?.Find(method) as YamlMapping;
        if (!defaults.TryGetValue(method, out var options))
        {
            options = given is not null ? [] : throw vars.Require("pgbackrest_method", "")
                .Error($"pgbackrest_method '{method}' has no repository: define pgbackrest_repo.{method} or use local or minio");
        }

        // Seed-given keys replace the defaults in place; new keys follow in the seed's order.
        var merged = options.ToList();
        foreach (var entry in given?.Entries ?? [])
        {
            var option = new PgBackupOption(entry.Key, entry.Value.AsString());
            var index = merged.FindIndex(o => o.Key == entry.Key);
            if (index >= 0)
            {
                merged[index] = option;
            }
            else
            {
                merged.Add(option);
            }
        }

        // The S3 user's secret is the credential MINIO creates that user with, whichever user pgbackrest_repo names.
        var secret = merged.FindIndex(o => o.Key == "s3_key_secret" && o.Secret is not null);
        if (secret >= 0 && merged.FirstOrDefault(o => o.Key == "s3_key") is { } key)
        {
            merged[secret] = merged[secret] with { Secret = ObjectStorage.UserSecretName(key.Value) };
        }

        return new PgBackupRepo(method, merged);
    }

    /// <summary>
    /// <c>pgbackrest_method: minio</c> needs a minio cluster in the inventory and MinIO in the bundle; anything else would only
    /// fail later at stanza-create, so it is an input error naming the field now (never a silent fallback to local).
    /// </summary>
    private static void CheckMinio(NodeContext node, VarSet vars)
    {
        if (vars.String("pgbackrest_method", "local") != "minio")
        {
            return;
        }

        var field = vars.Require("pgbackrest_method", "");
        if (node.Inventory.Minio.Count == 0)
        {
            throw field.Error("pgbackrest_method is minio but the inventory defines no minio cluster "
                + "(add a 'minio' group with minio_cluster and minio_seq, or use pgbackrest_method: local)");
        }

        if (ObjectStorage.MissingFromBundle(node.Repo) is { } missing)
        {
            throw field.Error($"pgbackrest_method is minio but MINIO is skipped: {missing} "
                + "(use a bundle that includes minio and mcli, or pgbackrest_method: local)");
        }
    }
}
