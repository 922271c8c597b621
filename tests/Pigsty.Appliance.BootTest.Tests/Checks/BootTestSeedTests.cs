using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>The boot test's seed: guest address, SSH key, and backups on MinIO exactly when the bundle carries minio and mcli.</summary>
public sealed class BootTestSeedTests : IDisposable
{
    private const string Seed = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            minio: { hosts: { 10.10.10.10: { minio_seq: 1 } }, vars: { minio_cluster: minio } }
          vars:
            admin_ip: 10.10.10.10
            pgbackrest_method: local

        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(false, "pgbackrest_method: local")]
    [InlineData(true, "pgbackrest_method: minio")]
    public async Task Writes_the_guest_address_the_key_and_the_backup_method(bool minio, string method)
    {
        var path = await BootTestSeed.WriteAsync(_temp.Write("meta.yml", Seed), "ssh-ed25519 AAAA test", _temp.Path, minio, CancellationToken.None);

        var text = await File.ReadAllTextAsync(path);
        Assert.Contains("admin_ip: 10.0.2.15", text, StringComparison.Ordinal);
        Assert.Contains("    node_admin_pk_list: ['ssh-ed25519 AAAA test']\n", text, StringComparison.Ordinal);
        Assert.Contains("    " + method + "\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("10.10.10.10", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("minio mcli pgbouncer", true)]
    [InlineData("minio pgbouncer", false)]
    [InlineData("pgbouncer", false)]
    public async Task Reads_minio_and_mcli_from_the_bundles_packages_index(string packages, bool expected)
    {
        var stanzas = string.Join("\n", packages.Split(' ').Select(p => $"Package: {p}\nVersion: 1.0\nArchitecture: amd64\n"));
        _temp.Write("src/pigsty/Packages", stanzas);
        var bundle = _temp.File("pigsty-pkg.tgz");
        await ProcessRunner.Silent.RunAsync(ProcessSpec.Of("tar", "-czf", bundle, "-C", _temp.File("src"), "pigsty"), CancellationToken.None);

        Assert.Equal(expected, await BootTestSeed.BundleHasMinioAsync(ProcessRunner.Silent, bundle, _temp.File("work"), CancellationToken.None));
    }
}
