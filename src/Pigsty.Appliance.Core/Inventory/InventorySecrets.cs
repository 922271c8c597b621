using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Core.Inventory;

/// <summary>
/// The secrets an inventory gives: every value under a key that names a password or a secret key, at any depth of the
/// variables (<c>pg_admin_password</c>, <c>pg_users[].password</c>, <c>minio_users[].secret_key</c>,
/// <c>pgbackrest_repo.*.s3_key_secret</c>, <c>cipher_pass</c>…), and which of them are Pigsty's published defaults.
/// </summary>
public static partial class InventorySecrets
{
    /// <summary>
    /// The default passwords of Pigsty's roles (<c>roles/*/defaults/main.yml</c>) and its sample inventories (<c>conf/</c>):
    /// anyone who has read Pigsty's documentation knows them. App users follow the patterns of <see cref="IsWellKnown"/>.
    /// </summary>
    public static IReadOnlyList<string> WellKnown { get; } =
    [
        "DBUser.DBA", "DBUser.Monitor", "DBUser.Replicator", "DBUser.Meta", "DBUser.Viewer", "DBUser.Root", "DBUser.Cluster",
        "DBUser.Postgres", "Patroni.API", "Etcd.Root", "pigsty", "S3User.MinIO", "S3User.Backup", "S3User.Meta", "S3User.Data",
        "pgBackRest", "Vibe.Coding", "minioadmin",
    ];

    /// <summary>True for a key whose value is a secret: <c>*password</c>, <c>*_pass</c>, <c>*secret_key</c>, <c>*_secret</c> (and the values of <c>nginx_users</c>).</summary>
    public static bool IsSecretName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.EndsWith("password", StringComparison.Ordinal) || key.EndsWith("_pass", StringComparison.Ordinal)
            || key.EndsWith("secret_key", StringComparison.Ordinal) || key.EndsWith("_secret", StringComparison.Ordinal);
    }

    /// <summary>True for one of Pigsty's published passwords, including its app users' <c>DBUser.*</c> and <c>S3User.*</c>.</summary>
    public static bool IsWellKnown(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return WellKnown.Contains(value, StringComparer.Ordinal) || PigstyPattern().IsMatch(value);
    }

    /// <summary>Every secret value in these variables (nested lists and mappings included), in file order.</summary>
    public static IReadOnlyList<YamlScalar> In(VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        var found = new List<YamlScalar>();
        foreach (var name in vars.Names)
        {
            if (vars.Find(name) is { } value)
            {
                Collect(name, value, found);
            }
        }

        return Ordered(found);
    }

    /// <summary>Every secret value the inventory writes (global, group and host variables), each once, in file order.</summary>
    public static IReadOnlyList<YamlScalar> In(PigstyInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return Ordered(new[] { inventory.GlobalVars }.Concat(inventory.Groups.Select(g => g.Vars)).Concat(inventory.Hosts.Select(h => h.Vars))
            .SelectMany(In));
    }

    /// <summary>Each of Pigsty's well-known passwords the inventory uses, as a problem at its file, line and field.</summary>
    public static IReadOnlyList<InputProblem> WellKnownIn(PigstyInventory inventory) =>
        In(inventory).Where(s => IsWellKnown(s.Text))
            .Select(s => new InputProblem(s.Location, s.Path,
                $"Pigsty's well-known default password '{s.Text}': anyone who has read Pigsty's documentation knows it; "
                + "set your own, or leave it out to have one generated"))
            .ToList();

    private static void Collect(string key, YamlValue value, List<YamlScalar> found)
    {
        switch (value)
        {
            case YamlScalar { IsNull: false } scalar when IsSecretName(key):
                found.Add(scalar);
                break;
            case YamlMapping mapping:
                foreach (var entry in mapping.Entries)
                {
                    // nginx_users maps each user name to its password.
                    Collect(key == "nginx_users" ? "password" : entry.Key, entry.Value, found);
                }

                break;
            case YamlSequence sequence:
                foreach (var item in sequence.Items)
                {
                    Collect(key, item, found);
                }

                break;
        }
    }

    private static List<YamlScalar> Ordered(IEnumerable<YamlScalar> scalars) =>
        scalars.DistinctBy(s => (s.Location, s.Path))
            .OrderBy(s => s.Location.File, StringComparer.Ordinal).ThenBy(s => s.Location.Line).ThenBy(s => s.Location.Column)
            .ToList();

    [GeneratedRegex(@"^(DBUser|S3User)\.[A-Za-z0-9.]+\z")]
    private static partial Regex PigstyPattern();
}
