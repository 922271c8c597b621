using System.Text.Json;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Installer.Modules.Etcd;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary><c>etcdctl endpoint health --cluster -w json</c> on a node: every member the cluster lists, each reached over the test network.</summary>
public static class EtcdHealth
{
    /// <summary>The check's name.</summary>
    public const string CheckName = "etcd has three healthy members";

    /// <summary>The guest command: root reads the member's own certificate; --cluster asks every member the member list names.</summary>
    public static string Command(System.Net.IPAddress node) =>
        $"sudo etcdctl --endpoints=https://{node}:2379 --cacert={EtcdSettings.CaPath} --cert={EtcdSettings.CertificatePath} --key={EtcdSettings.KeyPath} "
        + "endpoint health --cluster -w json";

    /// <summary>Judges the command's output: healthy endpoints, one per expected node.</summary>
    public static CheckResult Judge(bool succeeded, string output, IReadOnlyList<System.Net.IPAddress> nodes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(nodes);
        List<(string Endpoint, bool Healthy)> endpoints;
        try
        {
            using var document = JsonDocument.Parse(output.Trim());
            endpoints = [.. document.RootElement.EnumerateArray().Select(e => (e.GetProperty("endpoint").GetString() ?? "", e.TryGetProperty("health", out var h) && h.ValueKind == JsonValueKind.True))];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new CheckResult(CheckName, false, $"etcdctl {(succeeded ? "printed no health list" : "failed")}: {output.Trim()}");
        }

        var healthy = endpoints.Where(e => e.Healthy).Select(e => e.Endpoint).ToList();
        var missing = nodes.Where(n => !healthy.Any(h => h.Contains($"//{n}:", StringComparison.Ordinal))).ToList();
        var ok = endpoints.Count == nodes.Count && missing.Count == 0;
        return new CheckResult(CheckName, ok,
            $"{healthy.Count} of {endpoints.Count} members healthy ({string.Join(", ", endpoints.Select(e => $"{e.Endpoint} {(e.Healthy ? "healthy" : "unhealthy")}"))})"
            + (missing.Count > 0 ? $"; not healthy: {string.Join(", ", missing)}" : ""));
    }
}
