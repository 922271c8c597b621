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
