using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Recipes;

public sealed class RecipeLoaderTests
{
    private const string Minimal = """
        name: tiny
        os: d12
        arch: amd64
        upstreams:
          debian: { url: host, suites: [bookworm], components: [main] }
        groups:
          pgsql-common: { packages: [pgbouncer] }
        """;

    [Fact]
    public async Task Default_recipe_names_pigsty_groups_and_every_debian_component()
    {
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", "pigsty-d12.yml"), CancellationToken.None);

        Assert.Equal("pigsty-d12", recipe.Name);
        Assert.Equal("x86_64", recipe.Machine);
        Assert.True(recipe.IncludeRequired);
        foreach (var group in new[] { "node-bootstrap", "node-package", "infra-package", "infra-addons", "pgsql-main", "pgsql-common", "pgsql-utility", "image-base" })
        {
            Assert.NotNull(recipe.FindGroup(group));
        }

        // Every component REFERENCE.md lists as available in Debian 12.
        var all = recipe.Groups.SelectMany(g => g.Packages).ToHashSet();
        string[] components = ["postgresql-15", "patroni", "python3-etcd", "pgbouncer", "haproxy", "pgbackrest", "etcd-server",
            "etcd-client", "vip-manager", "nginx", "victoria-metrics", "prometheus-alertmanager", "prometheus-blackbox-exporter",
            "prometheus-node-exporter", "prometheus-postgres-exporter", "prometheus-pgbouncer-exporter", "dnsmasq", "chrony",
            "keepalived", "linux-image-cloud-amd64", "linux-image-amd64", "grub-efi-amd64-bin", "grub-pc-bin"];
        Assert.Equal([], components.Except(all));
        Assert.Equal(["debian", "debian-security"], recipe.EnabledUpstreams.Select(u => u.Name));
        Assert.All(recipe.EnabledUpstreams, u => Assert.Null(u.Url));
    }

    [Fact]
    public void Defaults_apply_when_optional_keys_are_absent()
    {
        var recipe = RecipeLoader.Parse(Minimal, "/r/tiny.yml");

        var upstream = Assert.Single(recipe.Upstreams);
        Assert.Equal("/usr/share/keyrings/debian-archive-keyring.gpg", upstream.Keyring);
        Assert.True(upstream.Enabled);
        Assert.False(Assert.Single(recipe.Groups).Recommends);
    }

    [Fact]
    public async Task Debian13_recipe_takes_trixie_from_the_mirror_the_host_uses_for_bookworm()
    {
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", "pigsty-d13.yml"), CancellationToken.None);

        Assert.Equal("d13", recipe.Os);
        Assert.Equal(["bookworm", "bookworm-security"], recipe.EnabledUpstreams.Select(u => u.HostSuite));
        Assert.Equal(["trixie", "trixie-updates", "trixie-security"], recipe.EnabledUpstreams.SelectMany(u => u.Suites));
        var all = recipe.Groups.SelectMany(g => g.Packages).ToHashSet();
        Assert.Contains("postgresql-17", all);
        Assert.DoesNotContain(all, p => p.Contains("-15", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bench_recipe_loads_and_targets_debian12()
    {
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", "bench-pigsty21.yml"), CancellationToken.None);

        Assert.Equal("d12", recipe.Os);
    }

    [Fact]
    public void Host_suite_must_name_a_suite()
    {
        var error = Assert.Throws<InputException>(() => RecipeLoader.Parse(Minimal.Replace("url: host,", "url: 'host:',", StringComparison.Ordinal), "r.yml"));

        Assert.Contains("after 'host:' comes the suite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_url_is_normalised_and_relative_keyring_is_anchored_at_the_recipe()
    {
        var recipe = RecipeLoader.Parse(Minimal.Replace("{ url: host,", "{ url: 'http://mirror.example/debian', keyring: keys/k.gpg,", StringComparison.Ordinal), "/r/tiny.yml");

        var upstream = Assert.Single(recipe.Upstreams);
        Assert.Equal("http://mirror.example/debian/", upstream.Url!.ToString());
        Assert.Equal("/r/keys/k.gpg", upstream.Keyring);
    }

    [Theory]
    [InlineData("arch: amd64\n", "arch: amd64\nmirror: x\n", "r.yml:4:1: mirror: unknown key 'mirror' (expected name, os, arch, include_required, upstreams, groups, binaries)")]
    [InlineData("[pgbouncer]", "[pgbouncer, pgbouncer]", "r.yml:7:41: groups.pgsql-common.packages[1]: 'pgbouncer' is listed twice in group 'pgsql-common'")]
    [InlineData("[pgbouncer]", "[Pg_Bouncer]", "r.yml:7:30: groups.pgsql-common.packages[0]: 'Pg_Bouncer' is not a valid Debian package name")]
    [InlineData("[pgbouncer]", "[]", "r.yml:7:29: groups.pgsql-common.packages: group 'pgsql-common' lists no packages")]
    [InlineData("url: host", "url: ftp://x", "r.yml:5:18: upstreams.debian.url: 'ftp://x' is neither 'host', 'host:<suite>' nor an http(s) or file URL")]
    [InlineData("components: [main] }", "components: [main], enabled: false }", "r.yml:5:3: upstreams: at least one upstream must be enabled")]
    [InlineData("{ packages: [pgbouncer] }", "{ packages: [pgbouncer], recommends: maybe }", "r.yml:7:54: groups.pgsql-common.recommends: expected true or false, got 'maybe'")]
    [InlineData("name: tiny\n", "", "r.yml:1:1: missing 'name'")]
    [InlineData("os: d12", "os: d11", "r.yml:2:5: os: unknown os 'd11' (expected one of d12 = Debian 12 bookworm, d13 = Debian 13 trixie)")]
    public void Mistakes_are_reported_with_line_and_field(string find, string replace, string expected) =>
        Assert.Equal(expected, Assert.Throws<InputException>(() =>
            RecipeLoader.Parse(Minimal.Replace(find, replace, StringComparison.Ordinal), "r.yml")).Message);

    [Theory]
    [InlineData("pigsty-d12", "/repo/recipes/pigsty-d12.yml")]
    [InlineData("my/own.yml", "my/own.yml")]
    [InlineData("local.yaml", "local.yaml")]
    public void Recipes_are_found_by_name_or_path(string given, string expected) =>
        Assert.Equal(expected, RecipeLoader.Locate(given, "/repo/recipes"));
}
