using System.Text.Json;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>
/// <c>--json</c> end to end: each command's stdout is one document System.Text.Json parses, with the field names README lists;
/// a failure still exits non-zero, with the error line on stderr and an <c>{"error": ...}</c> document on stdout.
/// </summary>
public sealed class JsonOutputTests : IDisposable
{
    private const string Inventory = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
              vars: { pg_cluster: pg-meta, pg_databses: [{ name: meta }] }
            etcd: { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
          vars: { admin_ip: 10.10.10.10 }
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Inventory_check_prints_warnings_and_each_modules_members()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "check", path, "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(path, root.GetProperty("file").GetString());
        Assert.True(root.GetProperty("valid").GetBoolean());
        Assert.Equal("10.10.10.10", root.GetProperty("admin_ip").GetString());
        var warning = Assert.Single(root.GetProperty("warnings").EnumerateArray());
        Assert.Equal(path, warning.GetProperty("file").GetString());
        Assert.Equal(6, warning.GetProperty("line").GetInt32());
        Assert.Equal("all.children.pg-meta.vars.pg_databses", warning.GetProperty("field").GetString());
        Assert.Contains("did you mean 'pg_databases'", warning.GetProperty("message").GetString(), StringComparison.Ordinal);
        var pgsql = root.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "pgsql");
        var cluster = Assert.Single(pgsql.GetProperty("clusters").EnumerateArray());
        Assert.Equal("pg-meta", cluster.GetProperty("name").GetString());
        var member = Assert.Single(cluster.GetProperty("members").EnumerateArray());
        Assert.Equal("10.10.10.10", member.GetProperty("address").GetString());
        Assert.Equal("pg-meta-1 10.10.10.10 primary", member.GetProperty("label").GetString());
    }

    [Fact]
    public async Task An_invalid_inventory_exits_3_with_an_error_document_naming_file_line_and_field()
    {
        var path = _temp.Write("pigsty.yml", Inventory.Replace("pg_seq: 1", "pg_seq: x", StringComparison.Ordinal));

        var run = await CliRun.Of("inventory", "check", path, "--json");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"error: {path}:5:", run.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(3, error.GetProperty("exit_code").GetInt32());
        var problem = Assert.Single(error.GetProperty("problems").EnumerateArray());
        Assert.Equal(path, problem.GetProperty("file").GetString());
        Assert.Equal(5, problem.GetProperty("line").GetInt32());
        Assert.Equal("all.children.pg-meta.hosts[10.10.10.10].pg_seq", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Strict_check_fails_as_json_too()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "check", path, "--strict", "--json");

        Assert.Equal(3, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Contains("pg_databses", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_host_prints_each_variable_with_value_source_scope_and_status()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("inventory", "host", path, "10.10.10.10", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("10.10.10.10", root.GetProperty("host").GetString());
        Assert.Contains("pg-meta", root.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        var seq = root.GetProperty("vars").GetProperty("pg_seq");
        Assert.Equal(1, seq.GetProperty("value").GetInt32());
        Assert.Equal($"{path}:5:39", seq.GetProperty("source").GetString());
        Assert.Equal("host", seq.GetProperty("scope").GetString());
        Assert.Equal("honoured", seq.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Install_plan_prints_modules_with_steps_and_what_they_wait_for()
    {
        var path = _temp.Write("pigsty.yml", Inventory);
        WriteRepoOfEveryModule();

        var run = await CliRun.Of("install", "--plan", "--json", "--inventory", path, "--node", "10.10.10.10", "--repo", _temp.File("repo"));

        Assert.True(run.ExitCode == 0, run.Error);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal("10.10.10.10", root.GetProperty("node").GetString());
        Assert.Equal("pg-meta-1", root.GetProperty("hostname").GetString());
        var modules = root.GetProperty("modules").EnumerateArray().ToList();
        Assert.Equal("NODE", modules[0].GetProperty("module").GetString());
        var pgsql = modules.Single(m => m.GetProperty("module").GetString() == "PGSQL");
        Assert.False(pgsql.GetProperty("skipped").GetBoolean());
        var steps = pgsql.GetProperty("steps").EnumerateArray().ToList();
        Assert.NotEmpty(steps);
        Assert.All(steps, s => Assert.StartsWith("pgsql.", s.GetProperty("id").GetString(), StringComparison.Ordinal));
        Assert.Contains(steps, s => s.GetProperty("after").GetArrayLength() > 0);
        var minio = modules.Single(m => m.GetProperty("module").GetString() == "MINIO");
        Assert.True(minio.GetProperty("skipped").GetBoolean());
        Assert.False(string.IsNullOrEmpty(minio.GetProperty("skip_reason").GetString()));
    }

    /// <summary>A repository index listing every registered module's packages, so no module is cut for a package the bundle lacks.</summary>
    private void WriteRepoOfEveryModule() => BundleRepo.Write(_temp, string.Concat(Installer.InstallModules.Descriptors
        .SelectMany(d => d.PackagesOn(Core.Contract.TargetPlatform.Debian12)).Distinct(StringComparer.Ordinal).Select(p => $"Package: {p}\nVersion: 1.0\n\n")));

    [Fact]
    public async Task Install_plan_says_which_users_can_use_which_service_ports()
    {
        var path = _temp.Write("pigsty.yml", Inventory.Replace(
            "pg_databses: [{ name: meta }] }",
            "pg_users: [{ name: dbuser_app, password: app-secret, pgbouncer: true }, { name: dbuser_etl, password: etl-secret }] }",
            StringComparison.Ordinal));
        WriteRepoOfEveryModule();

        var text = await CliRun.Of("install", "--plan", "--inventory", path, "--node", "10.10.10.10", "--repo", _temp.File("repo"));
        var json = await CliRun.Of("install", "--plan", "--json", "--inventory", path, "--node", "10.10.10.10", "--repo", _temp.File("repo"));

        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("  note: service ports 5433 (primary), 5434 (replica) go through pgbouncer: only users with pgbouncer: true can connect there (dbuser_dba, dbuser_monitor, dbuser_app)\n", text.Out, StringComparison.Ordinal);
        Assert.Contains("  note: user dbuser_etl has no pgbouncer: true, so it cannot connect through 5433 (primary), 5434 (replica)", text.Out, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Out);
        var pgsql = document.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("module").GetString() == "PGSQL");
        Assert.Contains(pgsql.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("service ports 5436 (default), 5438 (offline) go to postgres directly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_without_plan_is_a_usage_error()
    {
        var path = _temp.Write("pigsty.yml", Inventory);

        var run = await CliRun.Of("install", "--json", "--inventory", path);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--json goes with --plan", run.Error, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(2, json.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
    }

    [Fact]
    public async Task Image_with_a_missing_definition_exits_3_with_an_error_document()
    {
        var run = await CliRun.Of("image", "--image", _temp.File("none.yml"), "--json");

        Assert.Equal(3, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        Assert.Contains(_temp.File("none.yml"), json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
