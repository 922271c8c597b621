using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>Settings and fixed secrets for an instance of an inventory sample.</summary>
internal static class PgsqlFixture
{
    public static readonly PgSecrets Secrets = new("Repl.Secret", "Monitor.Secret", "Admin.Secret", "Patroni.Secret", "Etcd.Secret", null);

    /// <summary>A bundle that has MinIO, so <c>pgbackrest_method: minio</c> is allowed.</summary>
    public static readonly IReadOnlyDictionary<string, string> WithMinio = new Dictionary<string, string> { ["minio"] = "1", ["mcli"] = "1" };

    public static NodeContext Node(TempDirectory root, string sample, string address, TargetPlatform? platform = null) =>
        ModuleNodes.Create(root.Path, sample.EndsWith(".yml", StringComparison.Ordinal) ? ModuleNodes.Sample(sample) : sample, address, WithMinio, platform);

    public static PgsqlSettings Settings(string sample, string address, INodeResources? resources = null, TargetPlatform? platform = null)
    {
        using var root = new TempDirectory();
        return PgsqlSettings.From(Node(root, sample, address, platform), resources ?? new FixedResources());
    }
}
