using System.Text.Json;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary><c>inventory check</c> with its warnings and --strict, and <c>inventory host</c> as text and JSON.</summary>
public sealed class InventoryCommandTests : IDisposable
{
    private const string Inventory = """
        all:
          children:
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary, pg_conf: tiny } }
              vars: { pg_cluster: pg-meta, pg_databses: [{ name: meta }] }
            zz-extra:
              hosts: { 10.10.10.10: {} }
              vars: { vlogs_clean: true, pg_cluster: pg-meta }
          vars: { admin_ip: 10.10.10.10, pg_conf: oltp.yml }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Check_prints_each_warning_with_file_and_line_and_still_succeeds()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            $"warning: {path}:5:36: all.children.pg-meta.vars.pg_databses: unknown parameter 'pg_databses' (did you mean 'pg_databases'?)\n"
            + $"warning: {path}:8:15: all.children.zz-extra.vars.vlogs_clean: not supported here, ignored: data is never wiped\n"
            + $"valid: {path} (2 warnings)\n",
            string.Concat(run.Out.Split('\n').Take(3).Select(l => l + "\n")));
    }

    [Fact]
    public async Task Strict_check_turns_the_warnings_into_errors()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "check", "--strict", path);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal(
            $"error: {path}:5:36: all.children.pg-meta.vars.pg_databses: unknown parameter 'pg_databses' (did you mean 'pg_databases'?)\n"
            + $"{path}:8:15: all.children.zz-extra.vars.vlogs_clean: not supported here, ignored: data is never wiped\n",
            run.Error);
    }

    [Fact]
    public async Task An_unsafe_parameter_fails_the_check_even_without_strict()
    {
        var path = _temp.Write("pigsty.yml", Inventory.Replace("pg_conf: tiny", "pg_conf: tiny, pg_upstream: 10.10.10.9", StringComparison.Ordinal));

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"{path}:4:75: all.children.pg-meta.hosts[10.10.10.10].pg_upstream: cannot be honoured here and ignoring it would be unsafe", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_prints_each_effective_variable_with_where_it_came_from()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "host", path, "10.10.10.10");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($$"""
            host 10.10.10.10
            groups (lowest precedence first): pg-meta, zz-extra
            admin_ip = "10.10.10.10"
                from {{path}}:9:21 (all.vars)
            pg_cluster = "pg-meta"
                from {{path}}:8:46 (group zz-extra)
            pg_conf = "tiny"
                from {{path}}:4:69 (host)
            pg_databses = [{"name":"meta"}]
                from {{path}}:5:49 (group pg-meta) [unknown]
            pg_role = "primary"
                from {{path}}:4:51 (host)
            pg_seq = 1
                from {{path}}:4:39 (host)
            vlogs_clean = true
                from {{path}}:8:28 (group zz-extra) [not supported]

            """, run.Out);
    }

    [Fact]
    public async Task Host_json_gives_value_source_scope_and_status()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "host", path, "10.10.10.10", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var vars = json.RootElement.GetProperty("vars");
        Assert.Equal("tiny", vars.GetProperty("pg_conf").GetProperty("value").GetString());
        Assert.Equal($"{path}:4:69", vars.GetProperty("pg_conf").GetProperty("source").GetString());
        Assert.Equal(1, vars.GetProperty("pg_seq").GetProperty("value").GetInt32());
        Assert.Equal("group zz-extra", vars.GetProperty("vlogs_clean").GetProperty("scope").GetString());
        Assert.Equal("not supported", vars.GetProperty("vlogs_clean").GetProperty("status").GetString());
        Assert.Equal(["pg-meta", "zz-extra"], json.RootElement.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
    }

    [Theory]
    [InlineData("10.10.10.99", 3, "10.10.10.99 is not a host of the inventory")]
    [InlineData("meta", 2, "'meta' is not an IP address")]
    public async Task Host_names_what_is_wrong_with_the_address(string address, int code, string message)
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "host", path, address);

        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seed_is_strict_by_default_and_writes_nothing()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("seed", "-i", path, "-o", _temp.File("seed.img"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("unknown parameter 'pg_databses' (did you mean 'pg_databases'?)", run.Error, StringComparison.Ordinal);
        Assert.Equal([path], Directory.GetFiles(_temp.Path));
    }

    [Fact]
    public async Task Seed_with_no_strict_warns_and_writes_the_volume()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("seed", "-i", path, "-o", _temp.File("seed.img"), "--no-strict");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"warning: {path}:8:15: all.children.zz-extra.vars.vlogs_clean: not supported here", run.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_temp.File("seed.img")));
    }
}
