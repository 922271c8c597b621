using System.Globalization;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// The PostgreSQL major and packages of an instance, decided against the bundle at plan time: <c>pg_version</c> (default: the
/// bundle's), <c>pg_packages</c> and <c>pg_extensions</c> (Pigsty's aliases, extension names or package names, space or comma
/// separated, <c>$v</c> for the major) and the packages <c>pg_libs</c> needs. Anything the bundle lacks is an error naming it.
/// </summary>
public static partial class PgPackages
{
    /// <summary>
    /// Pigsty's package-group aliases on Debian: members every such install needs (an error when the bundle lacks them) and extras
    /// installed when the bundle carries them (a note otherwise). <c>$v</c> is the major.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, (string[] Required, string[] Extra)> Aliases =
        new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
        {
            ["pgsql-mini"] = (["postgresql-$v", "postgresql-client-$v"], []),
            ["pgsql-core"] = (["postgresql-$v", "postgresql-client-$v"], ["postgresql-plpython3-$v", "postgresql-plperl-$v", "postgresql-pltcl-$v"]),
            ["pgsql-full"] = (["postgresql-$v", "postgresql-client-$v"],
                ["postgresql-plpython3-$v", "postgresql-plperl-$v", "postgresql-pltcl-$v", "postgresql-server-dev-$v"]),
            ["pgsql-main"] = (["postgresql-$v", "postgresql-client-$v"],
                ["postgresql-plpython3-$v", "postgresql-plperl-$v", "postgresql-pltcl-$v", "postgresql-$v-repack", "postgresql-$v-wal2json", "postgresql-$v-pgvector"]),
            ["pgsql-common"] = (["patroni", "python3-etcd", "pgbouncer", "pgbackrest", "prometheus-postgres-exporter"], ["vip-manager", "pgbackrest-exporter"]),
            ["pgsql-utility"] = ([], ["pgbadger", "pg-activity", "pgformatter", "postgresql-filedump", "pgxnclient", "pg-timetable"]),
        };

    /// <summary>The majors the bundle carries a server for (postgresql-&lt;major&gt;), highest first.</summary>
    public static IReadOnlyList<int> Majors(RepoCatalog repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return repo.Names.Select(n => ServerPackage().Match(n)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).OrderDescending().ToList();
    }

    /// <summary><c>pg_version</c>: a major the bundle carries; unset means the bundle's (the highest when it has several).</summary>
    public static int Version(VarSet vars, RepoCatalog repo)
    {
        ArgumentNullException.ThrowIfNull(vars);
        var majors = Majors(repo);
        var have = majors.Count == 0 ? "no PostgreSQL server package at all" : $"PostgreSQL {string.Join(", ", majors)}";
        if (vars.Find("pg_version") is not { } value)
        {
            return majors.Count > 0 ? majors[0]
                : throw new Core.Errors.InputException("pg_version", $"the bundle has {have}: no PostgreSQL instance can be installed from it");
        }

        var version = value.AsInt();
        return majors.Contains(version) ? version
            : throw value.Error($"pg_version {version}: the bundle has no postgresql-{version} (it carries {have}); use a bundle built with that major or set pg_version to one it has");
    }

    /// <summary>
    /// Every package the instance installs beyond the module's base list: from <c>pg_packages</c>, <c>pg_extensions</c> and
    /// <c>pg_libs</c>. Extras of an alias the bundle lacks are named in <paramref name="notes"/>.
    /// </summary>
    public static IReadOnlyList<string> Resolve(int version, VarSet vars, RepoCatalog repo, ICollection<string> notes)
    {
        ArgumentNullException.ThrowIfNull(vars);
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(notes);
        var packages = new List<string>();
        foreach (var field in new[] { "pg_packages", "pg_extensions" })
        {
            foreach (var item in vars.Find(field)?.AsSequence().Items ?? [])
            {
                foreach (var name in item.AsString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries))
                {
                    packages.AddRange(Entry(field, name.Replace("${pg_version}", "$v", StringComparison.Ordinal).Replace("$v", V(version), StringComparison.Ordinal),
                        item, version, repo, notes));
                }
            }
        }

        if (vars.Find("pg_libs") is { } libs)
        {
            foreach (var library in Libraries(libs.AsString()).Where(l => !PgExtensions.ServerLibraries.Contains(l)))
            {
                var candidates = PgExtensions.Candidates(library, version);
                packages.Add(candidates.FirstOrDefault(repo.Has)
                    ?? throw libs.Error($"pg_libs names '{library}', but the bundle has none of {string.Join(", ", candidates)}: PostgreSQL would not start"));
            }
        }

        return packages.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The names in a <c>shared_preload_libraries</c> string.</summary>
    public static IReadOnlyList<string> Libraries(string text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Trim('"', '\'')).ToList();

    private static IEnumerable<string> Entry(string field, string name, YamlValue at, int version, RepoCatalog repo, ICollection<string> notes)
    {
        if (Aliases.TryGetValue(name, out var alias))
        {
            var required = alias.Required.Select(p => p.Replace("$v", V(version), StringComparison.Ordinal)).ToList();
            var missing = required.Where(p => !repo.Has(p)).ToList();
            if (missing.Count > 0)
            {
                throw at.Error($"{field} entry '{name}' needs {string.Join(", ", missing)}, which the bundle lacks");
            }

            var extras = alias.Extra.Select(p => p.Replace("$v", V(version), StringComparison.Ordinal)).ToList();
            var absent = extras.Where(p => !repo.Has(p)).ToList();
            if (absent.Count > 0)
            {
                notes.Add($"{field} entry '{name}': the bundle lacks {string.Join(", ", absent)}, installed without them");
            }

            return [.. required, .. extras.Where(repo.Has)];
        }

        if (PgExtensions.IsContrib(name, version))
        {
            return [];
        }

        var candidates = PgExtensions.Candidates(name, version);
        return [candidates.FirstOrDefault(repo.Has)
            ?? throw at.Error($"{field} entry '{name}': the bundle has none of {string.Join(", ", candidates)}")];
    }

    private static string V(int version) => version.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^postgresql-([0-9]+)$")]
    private static partial Regex ServerPackage();
}
