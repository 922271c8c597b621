using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// Which hosts deploy installs and what each waits for: the admin node first; the etcd members together (each waits for a quorum
/// of peers, so none may wait for another; with the admin node among them they start with it); every other host after the admin
/// node and the etcd members; a PostgreSQL replica after its cluster's primary. Hosts outside <c>--limit</c> are taken as running.
/// </summary>
public static class DeployOrder
{
    /// <summary>The port Ansible (and so a Pigsty inventory) assumes when <c>ansible_port</c> is not set.</summary>
    public const int DefaultPort = 22;

    /// <summary>The selected hosts in the order they start, each with the selected hosts it waits for.</summary>
    public static IReadOnlyList<DeployHost> Plan(PigstyInventory inventory, IReadOnlyList<string> limit, string defaultUser)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(limit);
        var unknown = limit.Where(l => inventory.Hosts.All(h => h.Address.ToString() != l)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--limit {string.Join(", ", unknown)}: not a host of {inventory.Source} "
                + $"(its hosts: {string.Join(", ", inventory.Hosts.Select(h => h.Address))})");
        }

        var selected = inventory.Hosts.Where(h => limit.Count == 0 || limit.Contains(h.Address.ToString())).ToList();
        var admin = inventory.AdminIp.ToString();
        var etcd = inventory.Etcd.SelectMany(c => c.Members).Select(m => m.Address.ToString()).ToHashSet(StringComparer.Ordinal);
        var primaries = inventory.PgClusters.Where(c => c.Instances.Any(i => i.Role == PgRole.Primary))
            .ToDictionary(c => c.Name, c => c.Primary.Address.ToString(), StringComparer.Ordinal);
        var names = selected.Select(h => h.Address.ToString()).ToHashSet(StringComparer.Ordinal);

        var plan = new List<(DeployHost Host, int Rank)>();
        foreach (var host in selected)
        {
            var name = host.Address.ToString();
            var instance = inventory.PgClusters.SelectMany(c => c.Instances).FirstOrDefault(i => i.Address.Equals(host.Address));
            var (rank, role, after) =
                name == admin ? (0, etcd.Contains(name) ? "admin node, etcd member" : "admin node", Array.Empty<string>())
                : etcd.Contains(name) ? (1, "etcd member", etcd.Contains(admin) ? [] : [admin])
                : instance is { Role: not PgRole.Primary } && primaries.TryGetValue(instance.Cluster, out var primary)
                    ? (3, $"{instance.Name} {instance.Role.ToString().ToLowerInvariant()}", [.. etcd.Prepend(admin).Append(primary)])
                : (2, instance is null ? "node" : $"{instance.Name} primary", [.. etcd.Prepend(admin)]);
            var waits = after.Where(a => a != name && names.Contains(a)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            plan.Add((new DeployHost(host, Target(host, defaultUser), role, waits), rank));
        }

        return [.. plan.OrderBy(p => p.Rank).ThenBy(p => p.Host.Host.Address.GetAddressBytes(), ByteOrder.Instance).Select(p => p.Host)];
    }

    /// <summary>Ansible's connection variables, as a Pigsty user writes them: <c>ansible_host</c>, <c>ansible_port</c>, <c>ansible_user</c>.</summary>
    private static SshTarget Target(InventoryHost host, string defaultUser)
    {
        var port = host.Vars.Int("ansible_port", DefaultPort);
        if (port is < 1 or > 65535)
        {
            throw host.Vars.Find("ansible_port")!.Error($"{port} is not a TCP port");
        }

        return new SshTarget(host.Address.ToString(), host.Vars.Find("ansible_host")?.AsString() ?? host.Address.ToString(), port,
            host.Vars.Find("ansible_user")?.AsString() ?? defaultUser);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => ((ReadOnlySpan<byte>)x).SequenceCompareTo(y);
    }
}
