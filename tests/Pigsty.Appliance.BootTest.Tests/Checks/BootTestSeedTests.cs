using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Parameters;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>
/// The boot test's seed: guest address, SSH key, and backups on MinIO exactly when the bundle carries minio and mcli; the full run's
/// seed with issue 12's parameters, each honoured (no parameter warning) and planned as the full run's checks expect.
/// </summary>
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
    [InlineData("minio mcli pgbouncer", true, "tgz", "d12")]
    [InlineData("minio pgbouncer", false, "tgz", "d13")]
    [InlineData("pgbouncer", false, "tgz", "d12")]
    [InlineData("minio mcli pgbouncer", true, "tar.zst", "d13")]
    [InlineData("pgbouncer", false, "tar.zst", "d12")]
    public async Task Reads_minio_mcli_and_the_target_from_the_bundles_index_and_manifest(string packages, bool expected, string format, string os)
    {
        var stanzas = string.Join("\n", packages.Split(' ').Select(p => $"Package: {p}\nVersion: 1.0\nArchitecture: amd64\n"));
        _temp.Write("src/pigsty/Packages", stanzas);
        _temp.Write("src/pigsty/manifest.json", $$"""{ "format": "pigsty-appliance-bundle/1", "os": "{{os}}" }""");
        _temp.Write("src/pigsty/repo_complete", "");
        var bundle = _temp.File("pigsty-pkg." + format);
        string[] create = format == "tgz" ? ["-czf", bundle] : ["--zstd", "-cf", bundle];
        await RealTool.CheckAsync("tar", [.. create, "-C", _temp.File("src"), "pigsty"]);

        var catalog = await BootTestSeed.BundleCatalogAsync(bundle, _temp.File("work"), CancellationToken.None);

        Assert.Equal(expected, BootTestSeed.HasMinio(catalog));
        Assert.Equal(os, catalog.Platform.Os);
        Assert.Equal(["Packages", "manifest.json"], Directory.GetFiles(_temp.File("work/bundle-index/pigsty")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task A_truncated_bundle_is_an_error_naming_it()
    {
        _temp.Write("src/pigsty/Packages", string.Concat(Enumerable.Range(0, 4000).Select(i => $"Package: p{i}\nVersion: {Guid.NewGuid()}\n\n")));
        var bundle = _temp.File("pigsty-pkg.tar.zst");
        await RealTool.CheckAsync("tar", "--zstd", "-cf", bundle, "-C", _temp.File("src"), "pigsty");
        var bytes = await File.ReadAllBytesAsync(bundle);
        await File.WriteAllBytesAsync(bundle, bytes[..(bytes.Length / 2)]);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => BootTestSeed.BundleCatalogAsync(bundle, _temp.File("work"), CancellationToken.None));

        Assert.StartsWith($"{bundle} is truncated or corrupt", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_temp.File("work/bundle-index")));
    }

    [Fact]
    public async Task The_full_runs_seed_loads_without_a_parameter_warning_and_plans_what_its_checks_look_for()
    {
        var seed = await BootTestSeed.WriteAsync(Path.Combine(AppContext.BaseDirectory, "images", "seeds", "meta.yml"), "ssh-ed25519 AAAA test", _temp.Path,
            backupsToMinio: false, CancellationToken.None);

        var path = await BootTestSeed.WithFidelityAsync(seed, _temp.Path, CancellationToken.None);

        var inventory = InventoryLoader.Parse(await File.ReadAllTextAsync(path), path);
        var report = ParameterCheck.Check(inventory);
        Assert.Empty(report.Warnings.Select(w => w.ToString()));
        Assert.Empty(report.Errors.Select(e => e.ToString()));
        var host = inventory.Hosts.Single();
        var node = new NodeContext(inventory, host, new Credentials(new LocalFileSystem(ProcessRunner.Silent, _temp.File("root")), host.Vars),
            new RepoCatalog(new Dictionary<string, string> { ["postgresql-15"] = "15.14-0+deb12u1" }));

        // pg_users: the absent user is dropped, never created; the others are created as before.
        var pg = PgsqlSettings.From(node, new LocalNodeResources());
        Assert.Equal([BootTestSeed.AbsentUser], pg.DroppedUsers);
        Assert.DoesNotContain(pg.Users, u => u.Name == BootTestSeed.AbsentUser);
        Assert.Contains(pg.Users, u => u.Name == "dbuser_meta");

        // Pigsty's four services as given, and the custom one straight to the primary's postgres.
        var haproxy = HaproxyRenderer.Render(pg);
        foreach (var (name, port) in new[] { ("primary", 5433), ("replica", 5434), ("default", 5436), ("offline", 5438), (BootTestSeed.CustomServiceName, BootTestSeed.CustomServicePort) })
        {
            Assert.Contains($"listen pg-meta-{name}\n    bind *:{port}\n", haproxy, StringComparison.Ordinal);
        }

        Assert.Contains("server pg-meta-1 10.0.2.15:5432 check port 8008", haproxy[haproxy.IndexOf("listen pg-meta-standby", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains(BootTestSeed.CustomServicePort, ExposureChecks.DocumentedPorts(inventory));

        // node_tune: the profile's values, which the check reads back with sysctl -n.
        var sysctl = KernelTuning.RenderSysctl(NodeSettings.From(node).Tune, 0, []);
        Assert.All(BootTestSeed.TuneSysctls, s => Assert.Contains($"\n{s.Key} = {s.Value}\n", sysctl, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_seed_without_a_pg_users_list_is_refused_before_any_vm_starts()
    {
        var seed = _temp.Write("meta.yml", Seed);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BootTestSeed.WithFidelityAsync(seed, _temp.Path, CancellationToken.None));

        Assert.Equal($"{seed} has no pg_users list in the pg-meta group to add dbuser_gone to", error.Message);
    }
}
