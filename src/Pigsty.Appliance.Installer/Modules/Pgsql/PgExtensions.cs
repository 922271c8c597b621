namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>Which extensions the bundle can provide: contrib ships with postgresql-15, others need their Debian package in the repo.</summary>
public static class PgExtensions
{
    /// <summary>Extensions in PostgreSQL 15's contrib (part of Debian's postgresql-15 package).</summary>
    public static readonly IReadOnlySet<string> Contrib = new HashSet<string>(StringComparer.Ordinal)
    {
        "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink", "dict_int", "dict_xsyn",
        "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username", "intagg", "intarray", "isn", "lo", "ltree",
        "moddatetime", "old_snapshot", "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_prewarm", "pg_stat_statements",
        "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "plpgsql", "postgres_fdw",
        "refint", "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "xml2",
    };

    /// <summary>Debian packages of common non-contrib extensions.</summary>
    public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["vector"] = "postgresql-15-pgvector",
        ["postgis"] = "postgresql-15-postgis-3",
        ["postgis_topology"] = "postgresql-15-postgis-3",
        ["pg_repack"] = "postgresql-15-repack",
        ["pg_partman"] = "postgresql-15-partman",
        ["pg_cron"] = "postgresql-15-cron",
        ["hypopg"] = "postgresql-15-hypopg",
        ["orafce"] = "postgresql-15-orafce",
        ["pgaudit"] = "postgresql-15-pgaudit",
        ["plpgsql_check"] = "postgresql-15-plpgsql-check",
        ["ip4r"] = "postgresql-15-ip4r",
        ["pg_hint_plan"] = "postgresql-15-pg-hint-plan",
    };

    /// <summary>The package an extension needs beyond postgresql-15, or null for contrib; unknown extensions map to "".</summary>
    public static string? PackageOf(string extension) =>
        Contrib.Contains(extension) ? null : Packages.GetValueOrDefault(extension, "");
}
