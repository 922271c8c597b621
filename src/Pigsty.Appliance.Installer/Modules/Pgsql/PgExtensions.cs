using System.Globalization;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// Which package provides an extension or a preloaded library: contrib ships with Debian's postgresql-&lt;major&gt;, others are
/// postgresql-&lt;major&gt;-&lt;suffix&gt; (Debian's names; the suffix is the name with '_' as '-' unless listed).
/// </summary>
public static class PgExtensions
{
    /// <summary>Extensions in PostgreSQL's contrib (part of Debian's postgresql-&lt;major&gt; package).</summary>
    public static readonly IReadOnlySet<string> Contrib = new HashSet<string>(StringComparer.Ordinal)
    {
        "adminpack", "amcheck", "autoinc", "bloom", "btree_gin", "btree_gist", "citext", "cube", "dblink", "dict_int", "dict_xsyn",
        "earthdistance", "file_fdw", "fuzzystrmatch", "hstore", "insert_username", "intagg", "intarray", "isn", "lo", "ltree",
        "moddatetime", "old_snapshot", "pageinspect", "pg_buffercache", "pg_freespacemap", "pg_prewarm", "pg_stat_statements",
        "pg_surgery", "pg_trgm", "pg_visibility", "pg_walinspect", "pgcrypto", "pgrowlocks", "pgstattuple", "plpgsql", "postgres_fdw",
        "refint", "seg", "sslinfo", "tablefunc", "tcn", "tsm_system_rows", "tsm_system_time", "unaccent", "uuid-ossp", "xml2",
    };

    /// <summary>Contrib modules a major dropped (the first major without them): PostgreSQL 17 removed adminpack and old_snapshot.</summary>
    public static readonly IReadOnlyDictionary<string, int> LeftContrib = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["adminpack"] = 17,
        ["old_snapshot"] = 17,
    };

    /// <summary>True when <paramref name="version"/>'s server package ships the extension (it is in contrib and was not dropped).</summary>
    public static bool IsContrib(string extension, int version) =>
        Contrib.Contains(extension) && !(LeftContrib.TryGetValue(extension, out var gone) && version >= gone);

    /// <summary>Libraries the server package itself ships (shared_preload_libraries needs no other package for them).</summary>
    public static readonly IReadOnlySet<string> ServerLibraries = new HashSet<string>(StringComparer.Ordinal)
    {
        "auto_explain", "pg_stat_statements", "pg_prewarm", "passwordcheck", "auth_delay", "basic_archive", "pg_walinspect",
        "pg_trgm", "pgcrypto", "postgres_fdw", "sepgsql", "test_decoding", "pgoutput", "plpgsql",
    };

    /// <summary>Debian package suffixes where the name alone does not give them (Pigsty's aliases included).</summary>
    public static readonly IReadOnlyDictionary<string, string> Suffixes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["vector"] = "pgvector",
        ["pgvector"] = "pgvector",
        ["postgis"] = "postgis-3",
        ["postgis_topology"] = "postgis-3",
        ["postgis_raster"] = "postgis-3",
        ["pg_repack"] = "repack",
        ["pg_partman"] = "partman",
        ["pg_partman_bgw"] = "partman",
        ["pg_cron"] = "cron",
        ["timescaledb"] = "timescaledb",
        ["pg_stat_kcache"] = "pg-stat-kcache",
        ["plpython3u"] = "plpython3",
        ["plperl"] = "plperl",
        ["pltcl"] = "pltcl",
    };

    /// <summary>The package an extension needs beyond the server (postgresql-&lt;v&gt;-&lt;suffix&gt;), or null for contrib.</summary>
    public static string? PackageOf(string extension, int version) =>
        IsContrib(extension, version) ? null : Candidates(extension, version)[0];

    /// <summary>The candidates for a name (an extension, a library or a Pigsty alias): postgresql-&lt;v&gt;-&lt;suffix&gt;, then the name itself.</summary>
    public static IReadOnlyList<string> Candidates(string name, int version)
    {
        ArgumentNullException.ThrowIfNull(name);
        var suffix = Suffixes.TryGetValue(name, out var known) ? known : Suffix(name);
        return [Package(version, suffix), name];
    }

    private static string Package(int version, string suffix) => $"postgresql-{version.ToString(CultureInfo.InvariantCulture)}-{suffix}";

    private static string Suffix(string name) => name.Replace('_', '-').ToLowerInvariant();
}
