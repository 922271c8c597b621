using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// What ETCD provides and PGSQL consumes: the etcd user (and role) a PostgreSQL cluster's Patroni logs in with, as Pigsty
/// names it (the cluster's name), allowed to read and write its own namespace prefix only, so that a PostgreSQL node never
/// holds etcd's root password. ETCD's first member creates it; the cluster's Patroni uses it.
/// </summary>
/// <param name="Name">The user and role name: the cluster's name (Pigsty's).</param>
/// <param name="EtcdCluster">The etcd cluster the PostgreSQL cluster uses (<c>etcd_cluster</c>, else the first).</param>
/// <param name="Prefix">The keys Patroni writes: <c>&lt;pg_namespace&gt;/&lt;cluster&gt;/</c>.</param>
/// <param name="Given">The seed's <c>pg_etcd_password</c>, if it gives a non-empty one.</param>
public sealed partial record PatroniEtcdUser(string Name, string? EtcdCluster, string Prefix, YamlValue? Given)
{
    /// <summary>Pigsty's parameter for the password (its default, the cluster's name, is not used: we generate one).</summary>
    public const string PasswordName = "pg_etcd_password";

    /// <summary>The user of <paramref name="cluster"/>, read from the cluster's variables.</summary>
    public static PatroniEtcdUser Of(PigstyInventory inventory, PgCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(cluster);
        var vars = cluster.Vars;
        var given = vars.Find(PasswordName) is { } value && value.AsString().Length > 0 ? value : null;
        var prefix = Slashes().Replace($"/{vars.String("pg_namespace", "/pg")}/{cluster.Name}/", "/");
        return new PatroniEtcdUser(cluster.Name, EtcdClusterOf(inventory, vars)?.Name, prefix, given);
    }

    /// <summary>The etcd cluster a PostgreSQL node with these variables uses: <c>etcd_cluster</c> (default <c>etcd</c>), else the first.</summary>
    public static MemberCluster? EtcdClusterOf(PigstyInventory inventory, VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(vars);
        return inventory.Etcd.FirstOrDefault(c => c.Name == vars.String("etcd_cluster", "etcd")) ?? inventory.Etcd.FirstOrDefault();
    }

    /// <summary>The credentials.yml name of a generated password (per cluster, so two clusters never share one).</summary>
    public string GeneratedSecretName => $"pg_etcd_{Name}_password";

    /// <summary>The password: the seed's, else the one generated once into credentials.yml.</summary>
    public async Task<string> PasswordAsync(Credentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return Given?.AsString() ?? await credentials.GetAsync(GeneratedSecretName, cancellationToken);
    }

    /// <summary>
    /// The problem when the password is not in the seed though more than one node needs it: etcd's first member (which creates
    /// the user) and the cluster's instances (whose Patroni logs in); null when one node does all of it or the seed gives it.
    /// </summary>
    public static InputProblem? MissingPassword(NodeContext node, PgCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(cluster);
        var inventory = node.Inventory;
        var user = Of(inventory, cluster);
        if (node.Material.HasSecret(user.GeneratedSecretName))
        {
            return null;
        }

        var creator = EtcdClusterOf(inventory, cluster.Vars)?.Members.FirstOrDefault()?.Address;
        var nodes = cluster.Instances.Select(i => i.Address).Concat(creator is null ? [] : [creator]).Distinct().ToList();
        return user.Given is null && SharedSecret.IsShared(nodes)
            ? SharedSecret.Missing(cluster.Vars, PasswordName, $"etcd's first member, which creates the etcd user of '{cluster.Name}', and its instances", nodes)
            : null;
    }

    [GeneratedRegex("/+")]
    private static partial Regex Slashes();
}
