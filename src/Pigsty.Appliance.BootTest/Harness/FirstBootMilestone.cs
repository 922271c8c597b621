namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>First-boot progress recognised on the serial console (the lines pigsty-firstboot.service prints).</summary>
public static class FirstBootMilestone
{
    public const string Prefix = "pigsty: ";

    /// <summary>Milestone name → how its console line starts (after the prefix).</summary>
    public static readonly IReadOnlyList<(string Name, string Start)> Known =
    [
        ("firstboot-start", "verifying the bundled repository"),
        ("bundle-verified", "bundle verified"),
        ("seed-valid", "seed: "),
        ("planned", "plan: "),
        ("node", "NODE started"),
        ("infra", "INFRA started"),
        ("etcd", "ETCD started"),
        ("minio", "MINIO started"),
        ("minio-skipped", "MINIO skipped"),
        ("pgsql", "PGSQL started"),
        ("done", "install done"),
        ("failed", "FAILED"),
    ];

    /// <summary>The milestone a console line marks, or null.</summary>
    public static string? Of(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = line.IndexOf(Prefix, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var text = line[(at + Prefix.Length)..];
        return Known.FirstOrDefault(k => text.StartsWith(k.Start, StringComparison.Ordinal)).Name;
    }
}
