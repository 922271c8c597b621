using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>
/// <c>site</c>: the site directory (0700) with the CA and every shared secret, and one seed per host carrying only that host's
/// certificates, keys and secrets; re-runs keep the CA and the secrets; user errors write nothing.
/// </summary>
public sealed class SiteCommandTests : IDisposable
{
    /// <summary>Pigsty's ha/trio layout plus a fourth node with PostgreSQL only (no etcd, no MinIO).</summary>
    private static readonly string Inventory = File.ReadAllText(TestData.Path("Samples", "ha-site.yml"));

    private static readonly string[] Hosts = ["10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Site => _temp.File("site");

    [Fact]
    public async Task Writes_a_private_site_directory_and_one_seed_per_host_with_only_that_hosts_material()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("site", "--inventory", inventory, "--dir", Site, "--prefix", "24", "--gateway", "10.10.10.1", "--dns", "10.10.10.1", "--dns", "10.10.10.2");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("CA created", run.Out, StringComparison.Ordinal);
        Assert.Contains("10.10.10.13: seeds/10.10.10.13.img (certificates: pgsql;", run.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Site));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(Site, "ca.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(Site, "secrets.yml")));
        Assert.Equal(Hosts.Select(h => h + ".img"), Directory.GetFiles(Path.Join(Site, "seeds")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var siteSecrets = await File.ReadAllTextAsync(Path.Join(Site, "secrets.yml"));
        foreach (var host in Hosts)
        {
            var image = Path.Join(Site, "seeds", host + ".img");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(image));
            var files = await ListAsync(image);
            Assert.DoesNotContain("ca.key", files);
            Assert.Contains("pigsty.yml", files);
            Assert.Equal(await File.ReadAllTextAsync(inventory), await ReadAsync(image, "pigsty.yml"));
            Assert.Contains($"address: {host}\nprefix: 24\ngateway: 10.10.10.1\ndns: [10.10.10.1, 10.10.10.2]\n", await ReadAsync(image, "site/node.yml"), StringComparison.Ordinal);

            // Every secret a node gets is the site's value: all nodes agree.
            foreach (var line in (await ReadAsync(image, "site/secrets.yml")).Split('\n').Where(l => l.Contains(": '", StringComparison.Ordinal)))
            {
                Assert.Contains(line, siteSecrets, StringComparison.Ordinal);
            }

            var ca = _temp.Write($"{host}-ca.crt", await ReadAsync(image, "site/ca.crt"));
            foreach (var service in files.Where(f => f.EndsWith(".crt", StringComparison.Ordinal) && f != "site/ca.crt"))
            {
                var certificate = _temp.Write($"{host}-{Path.GetFileName(service)}", await ReadAsync(image, service));
                await RealTool.CheckAsync("openssl", "verify", "-CAfile", ca, certificate);
                var names = await RealTool.CheckAsync("openssl", "x509", "-in", certificate, "-noout", "-ext", "subjectAltName");
                Assert.Contains($"IP Address:{host}", names.StandardOutput, StringComparison.Ordinal);
                Assert.Contains(service[..^".crt".Length] + ".key", files);
            }
        }

        // A node that runs no etcd and no MinIO gets neither their keys nor their secrets.
        var pgOnly = await ListAsync(Path.Join(Site, "seeds", "10.10.10.13.img"));
        Assert.Equal(["pigsty.yml", "site/ca.crt", "site/node.yml", "site/pgsql.crt", "site/pgsql.key", "site/secrets.yml"], pgOnly);
        var pgOnlySecrets = await ReadAsync(Path.Join(Site, "seeds", "10.10.10.13.img"), "site/secrets.yml");
        Assert.DoesNotContain("etcd_root_password", pgOnlySecrets, StringComparison.Ordinal);
        Assert.DoesNotContain("minio_secret_key", pgOnlySecrets, StringComparison.Ordinal);
        Assert.Contains("pg_replication_password", pgOnlySecrets, StringComparison.Ordinal);
        Assert.Contains("etcd_root_password", await ReadAsync(Path.Join(Site, "seeds", "10.10.10.11.img"), "site/secrets.yml"), StringComparison.Ordinal);
        Assert.Contains("site/etcd.key", await ListAsync(Path.Join(Site, "seeds", "10.10.10.11.img")));
    }

    [Fact]
    public async Task A_rerun_keeps_the_ca_the_secrets_and_valid_certificates_byte_for_byte_and_rewrites_the_seeds()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);
        Assert.Equal(0, (await CliRun.Of("site", "-i", inventory, "--dir", Site)).ExitCode);
        string[] kept = ["ca.crt", "ca.key", "secrets.yml", "nodes/10.10.10.11/etcd.crt", "nodes/10.10.10.11/etcd.key", "nodes/10.10.10.13/secrets.yml"];
        var before = kept.ToDictionary(f => f, f => File.ReadAllBytes(Path.Join(Site, f)));
        var seedBefore = File.GetLastWriteTimeUtc(Path.Join(Site, "seeds", "10.10.10.10.img"));

        var again = await CliRun.Of("site", "-i", inventory, "--dir", Site);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("CA kept, 0 secrets added, 0 certificates issued, 13 kept", again.Out, StringComparison.Ordinal);
        Assert.All(kept, f => Assert.Equal(before[f], File.ReadAllBytes(Path.Join(Site, f))));
        Assert.True(File.GetLastWriteTimeUtc(Path.Join(Site, "seeds", "10.10.10.10.img")) >= seedBefore);

        // A certificate that no longer fits (another node's, here) is issued again; a secret the inventory now needs is added.
        File.Copy(Path.Join(Site, "nodes/10.10.10.12/etcd.crt"), Path.Join(Site, "nodes/10.10.10.11/etcd.crt"), overwrite: true);
        _temp.Write("pigsty.yml", Inventory.Replace("pg_users: [ { name: dbuser_meta,", "pg_users: [ { name: dbuser_new, pgbouncer: true }, { name: dbuser_meta,", StringComparison.Ordinal));

        var third = await CliRun.Of("site", "-i", inventory, "--dir", Site);

        Assert.Contains("CA kept, 1 secrets added, 1 certificates issued, 12 kept", third.Out, StringComparison.Ordinal);
        Assert.Equal(before["ca.key"], File.ReadAllBytes(Path.Join(Site, "ca.key")));
        var secrets = await File.ReadAllTextAsync(Path.Join(Site, "secrets.yml"));
        Assert.All(System.Text.Encoding.UTF8.GetString(before["secrets.yml"]).Split('\n').Skip(1), line => Assert.Contains(line, secrets, StringComparison.Ordinal));
        Assert.Contains("pg_user_dbuser_new_password", secrets, StringComparison.Ordinal);
        await RealTool.CheckAsync("openssl", "verify", "-CAfile", Path.Join(Site, "ca.crt"), Path.Join(Site, "nodes/10.10.10.11/etcd.crt"));
    }

    [Theory]
    [InlineData(2, "--prefix 40: an IPv4 prefix length is between 1 and 32", "--prefix", "40")]
    [InlineData(2, "--gateway and --dns set static addressing, which needs --prefix", "--gateway", "10.10.10.1")]
    [InlineData(2, "--dns 'dns.example' is not an IPv4 address", "--prefix", "24", "--dns", "dns.example")]
    [InlineData(3, "gateway 192.168.1.1 is not another address of 10.10.10.10/24's subnet", "--prefix", "24", "--gateway", "192.168.1.1")]
    [InlineData(2, "Argument 'd11' not recognized. Must be one of:", "--os", "d11")]
    public async Task Bad_network_options_are_refused_and_nothing_is_written(int exitCode, string message, params string[] options)
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of(["site", "-i", inventory, "--dir", Site, .. options]);

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Site));
    }

    [Fact]
    public async Task An_invalid_inventory_or_a_default_password_writes_nothing()
    {
        var invalid = _temp.Write("bad.yml", Inventory.Replace("pg_seq: 1, pg_role: primary }", "pg_seq: one, pg_role: primary }", StringComparison.Ordinal));
        var defaults = _temp.Write("defaults.yml", Inventory.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    pg_admin_password: DBUser.DBA", StringComparison.Ordinal));

        var bad = await CliRun.Of("site", "-i", invalid, "--dir", Site);
        var weak = await CliRun.Of("site", "-i", defaults, "--dir", Site);

        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("pg_seq: expected an integer, got 'one'", bad.Error, StringComparison.Ordinal);
        Assert.Equal(3, weak.ExitCode);
        Assert.Contains("Pigsty's well-known default password 'DBUser.DBA'", weak.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Site));
    }

    [Fact]
    public async Task A_secret_the_inventory_gives_is_used_as_given_and_named_in_a_warning()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory.Replace("admin_ip: 10.10.10.10", "admin_ip: 10.10.10.10\n    pg_admin_password: Site.Given-7tw", StringComparison.Ordinal));

        var run = await CliRun.Of("site", "-i", inventory, "--dir", Site);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: the inventory gives 1 secrets (all.vars.pg_admin_password): every seed carries them", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pg_admin_password", await File.ReadAllTextAsync(Path.Join(Site, "secrets.yml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_site_directory_that_cannot_be_written_is_a_usage_error()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);
        var blocker = _temp.Write("blocker", "a file where the site directory's parent should be");

        var run = await CliRun.Of("site", "-i", inventory, "--dir", Path.Join(blocker, "site"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--dir {Path.Join(blocker, "site")}: cannot write the site directory there", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Half_a_ca_is_never_replaced()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);
        Assert.Equal(0, (await CliRun.Of("site", "-i", inventory, "--dir", Site)).ExitCode);
        File.Delete(Path.Join(Site, "ca.key"));
        var certificate = File.ReadAllBytes(Path.Join(Site, "ca.crt"));

        var run = await CliRun.Of("site", "-i", inventory, "--dir", Site);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("the site CA is half there (ca.key is missing)", run.Error, StringComparison.Ordinal);
        Assert.Equal(certificate, File.ReadAllBytes(Path.Join(Site, "ca.crt")));
        Assert.False(File.Exists(Path.Join(Site, "ca.key")));
    }

    /// <summary>Every file on the volume, as paths relative to its root, sorted.</summary>
    private static async Task<List<string>> ListAsync(string image)
    {
        var root = await RealTool.CheckAsync("mdir", "-b", "-i", image, "::/");
        var site = await RealTool.CheckAsync("mdir", "-b", "-i", image, "::/site");
        return root.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(site.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(p => p.TrimStart(':').TrimStart('/'))
            .Where(p => !p.EndsWith('/'))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<string> ReadAsync(string image, string path) =>
        (await RealTool.CheckAsync("mtype", "-i", image, "::/" + path)).StandardOutput;
}
