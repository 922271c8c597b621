using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Installer.Modules.Minio;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>What a boot test's seed asks of MINIO, read with the installer's own settings (buckets, users and their policies).</summary>
internal static class MinioSeed
{
    /// <summary>The expectation for the seed's first host; null when the seed defines no minio cluster.</summary>
    public static MinioExpectation? Expect(string inventoryText, string path)
    {
        var inventory = InventoryLoader.Parse(inventoryText, path);
        if (inventory.Minio.Count == 0)
        {
            return null;
        }

        var vars = inventory.Hosts[0].Vars;
        var settings = MinioSettings.From(vars, inventory.Minio[0], null);
        string? prefix = null;
        if (vars.String("pgbackrest_method", "local") == "minio")
        {
            var repo = (vars.Find("pgbackrest_repo") as YamlMapping)?.Find("minio") as YamlMapping;
            var bucket = repo?.Find("s3_bucket")?.AsString() ?? "pgsql";
            var repoPath = (repo?.Find("path")?.AsString() ?? "/pgbackrest").Trim('/');
            var stanza = inventory.PgClusters.FirstOrDefault()?.Name ?? "pg-meta";
            prefix = $"{bucket}/{repoPath}/backup/{stanza}/";
        }

        return new MinioExpectation(settings.Buckets.Select(b => b.Name).ToList(), settings.Users.Select(u => (u.AccessKey, u.PolicyName)).ToList(), prefix);
    }
}
