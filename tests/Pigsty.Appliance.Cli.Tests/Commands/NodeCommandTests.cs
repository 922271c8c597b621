using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>The node-side commands that run without a node: seed images, status reading, plan printing.</summary>
public sealed class NodeCommandTests : IDisposable
{
    private const string Inventory = """
        all:
          children:
            pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars: { admin_ip: 10.10.10.10 }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Seed_writes_a_fat_volume_labelled_pigsty_holding_the_inventory()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);
        var image = _temp.File("seed.img");

        var run = await CliRun.Of("seed", "--inventory", inventory, "--output", image);

        Assert.Equal(0, run.ExitCode);

        // The inventory may hold passwords: the volume image is the owner's alone.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(image));
        var label = await ProcessRunner.Silent.RunAsync(RealTool.Spec("mlabel", "-s", "-i", image, "::"), CancellationToken.None);
        Assert.Contains("PIGSTY", label.StandardOutput, StringComparison.Ordinal);
        var copy = _temp.File("back.yml");
        await ProcessRunner.Silent.RunAsync(RealTool.Spec("mcopy", "-i", image, "::/pigsty.yml", copy), CancellationToken.None);
        Assert.Equal(Inventory, await File.ReadAllTextAsync(copy));
    }

    [Fact]
    public async Task An_invalid_inventory_never_becomes_a_seed()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory.Replace("primary", "leader", StringComparison.Ordinal));
        var image = _temp.File("seed.img");

        var run = await CliRun.Of("seed", "-i", inventory, "-o", image);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("unknown role 'leader'", run.Error, StringComparison.Ordinal);
        Assert.Equal([inventory], Directory.GetFiles(_temp.Path));
    }

    /// <summary>The inventory with Pigsty's well-known defaults: a global one, one in a list, one in a cluster's vars.</summary>
    private const string WithDefaults = """
        all:
          children:
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
              vars:
                pg_cluster: pg-meta
                pg_users: [ { name: dbuser_meta, password: DBUser.Meta } ]
          vars:
            admin_ip: 10.10.10.10
            pg_admin_password: DBUser.DBA
            patroni_password: Str0ng.and-unknown
        """;

    [Fact]
    public async Task Seed_refuses_pigsty_default_passwords_naming_each_unless_allowed()
    {
        var inventory = _temp.Write("pigsty.yml", WithDefaults);
        var image = _temp.File("seed.img");

        var refused = await CliRun.Of("seed", "-i", inventory, "-o", image);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains($"{inventory}:7:52: all.children.pg-meta.vars.pg_users[0].password: Pigsty's well-known default password 'DBUser.Meta'", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"{inventory}:10:24: all.vars.pg_admin_password: Pigsty's well-known default password 'DBUser.DBA'", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("patroni_password", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--allow-default-passwords", refused.Error, StringComparison.Ordinal);
        Assert.Equal([inventory], Directory.GetFiles(_temp.Path));

        var allowed = await CliRun.Of("seed", "-i", inventory, "-o", image, "--allow-default-passwords");

        Assert.Equal(0, allowed.ExitCode);
        Assert.True(File.Exists(image));
        Assert.Contains($"warning: {inventory}:10:24: all.vars.pg_admin_password: Pigsty's well-known default password 'DBUser.DBA'", allowed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_check_and_install_plan_warn_about_pigsty_default_passwords_with_file_line_and_field()
    {
        var inventory = _temp.Write("pigsty.yml", WithDefaults);
        BundleRepo.Write(_temp);

        var check = await CliRun.Of("inventory", "check", inventory);
        var plan = await CliRun.Of("install", "--plan", "--inventory", inventory, "--node", "10.10.10.10", "--repo", _temp.File("repo"));

        Assert.Equal(0, check.ExitCode);
        Assert.Equal(0, plan.ExitCode);
        foreach (var output in new[] { check.Error, plan.Out })
        {
            Assert.Contains($"warning: {inventory}:7:52: all.children.pg-meta.vars.pg_users[0].password: Pigsty's well-known default password 'DBUser.Meta'", output, StringComparison.Ordinal);
            Assert.Contains($"warning: {inventory}:10:24: all.vars.pg_admin_password: Pigsty's well-known default password 'DBUser.DBA'", output, StringComparison.Ordinal);
            Assert.DoesNotContain("patroni_password", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_of_a_failed_install_names_the_step_and_exits_8()
    {
        var status = _temp.Write("status.json", """
            { "state": "failed", "phase": "failed", "node": "10.0.2.15", "hostname": "pg-meta-1", "seed": "embedded default",
              "bundle": null, "started": "2026-11-22T00:00:00Z", "updated": "2026-11-22T00:05:00Z",
              "modules": [ { "name": "NODE", "state": "done", "reason": null, "notes": [], "seconds": 12.5, "steps": [] } ],
              "error": "waited 60 s for 127.0.0.1:8008", "failed_step": "pgsql.patroni", "portal": "http://10.0.2.15/",
              "credentials": "/etc/pigsty/credentials.yml", "phases": {} }
            """);

        var run = await CliRun.Of("status", "--file", status);

        Assert.Equal(8, run.ExitCode);
        Assert.Contains("error in pgsql.patroni: waited 60 s for 127.0.0.1:8008", run.Out, StringComparison.Ordinal);
        Assert.Contains("NODE   done", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_plan_without_a_repository_says_what_is_missing()
    {
        var inventory = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("install", "--plan", "--inventory", inventory, "--node", "10.10.10.10", "--repo", _temp.File("nope"));

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("Packages does not exist: the local repository is missing", run.Error, StringComparison.Ordinal);
    }
}
