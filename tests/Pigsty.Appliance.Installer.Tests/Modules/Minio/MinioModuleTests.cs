using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Minio;
using Pigsty.Appliance.Installer.Modules.Minio.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Minio;

public sealed class MinioModuleTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    /// <summary>A flat repository index as the bundler writes it, with these packages.</summary>
    private async Task<RepoCatalog> RepoAsync(params string[] packages)
    {
        var repo = Path.Join(_root.Path, "repo");
        Directory.CreateDirectory(repo);
        var stanzas = packages.Select(p => $"Package: {p}\nVersion: 1.0-1\nArchitecture: amd64\nFilename: ./{p}_1.0-1_amd64.deb\nSize: 1000\n"
            + "SHA256: 0000000000000000000000000000000000000000000000000000000000000000\nDescription: test package\n");
        await File.WriteAllTextAsync(Path.Join(repo, "Packages"), string.Join('\n', stanzas));
        await File.WriteAllTextAsync(Path.Join(repo, "manifest.json"), """{ "format": "pigsty-appliance-bundle/1", "os": "d12" }""");
        return await RepoCatalog.LoadAsync(repo, CancellationToken.None);
    }

    private NodeContext Node(string inventory, string address, RepoCatalog repo)
    {
        var context = MinioFixture.Node(_root.Path, inventory, address);
        return context with { Repo = repo };
    }

    [Fact]
    public void Single_node_plan_installs_serves_provisions_and_registers()
    {
        var node = MinioFixture.Node(_root.Path, "single-node.yml", "10.10.10.10");

        Assert.Equal("""
            node 10.10.10.10 (pg-meta-1)
            MINIO: 9 steps
              minio.packages  install minio, mcli
              minio.user  system user minio  [after minio.packages]
              minio.directories  minio directories (/data/minio, /etc/minio/certs)  [after minio.user]
              minio.hosts  /etc/hosts: 10.10.10.10 minio-1.pigsty, 10.10.10.10 sss.pigsty
              minio.certificate  certificate minio-1.pigsty from the site CA (/etc/minio/certs/public.crt)  [after minio.directories]
              minio.units  unit files minio.service (one daemon-reload)  [after minio.packages]
              minio.service  MinIO minio-1.pigsty (https://10.10.10.10:9000, volumes /data/minio)  [after minio.packages, minio.directories, minio.hosts, minio.certificate, minio.units]
              minio.provision  buckets pgsql, meta, data and users dba (consoleAdmin), pgbackrest (readwrite-pgsql) on https://sss.pigsty:9000  [after minio.service]
              minio.register  scrape targets and DNS records for minio (minio-1.pigsty)

            """, InstallPlan.Create(node, [new MinioModule()]).Describe());
    }

    [Fact]
    public async Task Without_minio_in_the_bundle_the_plan_and_the_status_say_it_is_skipped()
    {
        var repo = await RepoAsync("etcd-server", "etcd-client", "postgresql-15");
        var node = Node("single-node.yml", "10.10.10.10", repo);
        var plan = InstallPlan.Create(node, [new MinioModule()]);
        var machine = new FakeMachine(_root.Path);
        var console = new List<string>();
        var status = new StatusReporter(machine.Files, console.Add, new SdNotify(null), TimeProvider.System);
        await status.PlannedAsync(plan, CancellationToken.None);

        await new InstallEngine(new StepJournal(machine.Files), status, TimeProvider.System)
            .ApplyAsync(plan, new StepContext(node, machine, NullLogger.Instance), CancellationToken.None);

        Assert.Contains("MINIO skipped: minio not in bundle\n", plan.Describe(), StringComparison.Ordinal);
        Assert.Contains("pigsty: MINIO skipped: minio not in bundle", console);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Join(_root.Path, "/var/lib/pigsty/status.json")));
        var module = json.RootElement.GetProperty("modules").EnumerateArray().Single(m => m.GetProperty("name").GetString() == "MINIO");
        Assert.Equal("skipped", module.GetProperty("state").GetString());
        Assert.Equal("minio not in bundle", module.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task With_minio_but_without_mcli_the_client_is_named()
    {
        var node = Node("single-node.yml", "10.10.10.10", await RepoAsync("minio"));

        Assert.Equal("mcli not in bundle", new MinioModule().Plan(node).SkipReason);
    }

    [Fact]
    public async Task With_minio_and_mcli_in_the_bundle_the_module_runs()
    {
        var node = Node("single-node.yml", "10.10.10.10", await RepoAsync("minio", "mcli", "postgresql-15"));

        Assert.False(new MinioModule().Plan(node).Skipped);
    }

    [Fact]
    public async Task A_node_in_no_minio_group_is_not_applicable_whatever_the_bundle()
    {
        var inventory = MinioFixture.ThreeNodes.Replace("pgbackrest_method: minio", "pgbackrest_method: local", StringComparison.Ordinal)
            .Replace("infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }", "infra: { hosts: { 10.10.10.11: { infra_seq: 1 } } }", StringComparison.Ordinal);

        var plan = new MinioModule().Plan(Node(inventory, "10.10.10.10", await RepoAsync()));

        Assert.Equal("this node is neither a minio member, an INFRA node nor a PostgreSQL node backing up to minio", plan.SkipReason);
    }

    [Fact]
    public void A_postgres_node_backing_up_to_minio_gets_the_names_and_an_infra_node_registers_the_cluster()
    {
        var steps = new MinioModule().Plan(MinioFixture.Node(_root.Path, MinioFixture.ThreeNodes, "10.10.10.10")).Steps;

        Assert.Equal(["minio.hosts", "minio.register"], steps.Select(s => s.Id));
        Assert.Equal("/etc/hosts: 10.10.10.11 minio-1.pigsty, 10.10.10.12 minio-2.pigsty, 10.10.10.13 minio-3.pigsty, 10.10.10.11 sss.pigsty", steps[0].Title);
    }

    [Fact]
    public void Only_the_first_member_provisions_and_shared_secrets_missing_from_the_seed_are_plan_errors()
    {
        var shared = MinioFixture.ThreeNodes.Replace("pgbackrest_method: minio",
            "pgbackrest_method: minio\n    minio_secret_key: Root.Shared-5vb\n    dba_s3_key_secret: S3.Dba-6yc\n    pgbackrest_s3_key_secret: S3.Backup-1hg", StringComparison.Ordinal);
        ModuleNodes.WriteSiteMaterial(_root.Path, "10.10.10.11", "minio");
        var first = new MinioModule().Plan(MinioFixture.Node(_root.Path, shared, "10.10.10.11"));
        var second = new MinioModule().Plan(MinioFixture.Node(_root.Path, shared, "10.10.10.12"));
        var missing = Assert.Throws<InputException>(() => new MinioModule().Plan(MinioFixture.Node(_root.Path, MinioFixture.ThreeNodes, "10.10.10.12")));

        Assert.Contains(first.Steps, s => s.Id == "minio.provision");
        Assert.DoesNotContain(second.Steps, s => s.Id == "minio.provision");
        Assert.Empty(first.Notes);
        Assert.Equal(["all.vars.minio_secret_key", "all.vars.dba_s3_key_secret", "all.vars.pgbackrest_s3_key_secret"], missing.Problems.Select(p => p.Field));
        Assert.Contains("the members of minio cluster 'minio' (10.10.10.11, 10.10.10.12, 10.10.10.13) must share it", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Steps_converge_once_with_mcli_commands_in_order_and_no_secret_on_a_command_line()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. MinioModule.Packages]);
        var node = MinioFixture.Node(_root.Path, "single-node.yml", "10.10.10.10");
        var context = ModuleNodes.Context(node, machine);
        var created = new List<string>();
        machine.Scripted.On(s => s.Tool == "mcli", s =>
        {
            var args = s.Arguments.Skip(3).ToList();
            if (args[0] == "mb")
            {
                created.Add(args[^1].Split('/')[1]);
            }

            return args switch
            {
                ["ls", ..] => ScriptedProcesses.Ok(McliRecordings.Ls(created)),
                ["admin", "user", "info", _, "dba"] => ScriptedProcesses.Ok(McliRecordings.UserInfo("dba", "consoleAdmin")),
                ["admin", "user", "info", _, "pgbackrest"] => ScriptedProcesses.Ok(McliRecordings.UserInfo("pgbackrest", "readwrite-pgsql")),
                ["admin", "policy", "attach", _, "consoleAdmin", ..] => ScriptedProcesses.Fail(1, McliRecordings.PolicyAlreadyInEffect),
                _ => ScriptedProcesses.Ok(),
            };
        });
        var steps = new MinioModule().Plan(node).Steps;

        var first = await StepRunner.RunAsync(steps, context);
        var mcli = machine.Scripted.Runs.Where(r => r.Tool == "mcli").ToList();
        var second = await StepRunner.RunAsync(steps, context);

        Assert.Equal(["minio.packages", "minio.user", "minio.directories", "minio.hosts", "minio.certificate", "minio.units", "minio.service", "minio.provision", "minio.register"], first);
        Assert.Empty(second);
        var root = await node.Credentials.GetAsync(MinioSettings.RootSecretName, CancellationToken.None);
        var dba = await node.Credentials.GetAsync("dba_s3_key_secret", CancellationToken.None);
        var pgbackrest = await node.Credentials.GetAsync("pgbackrest_s3_key_secret", CancellationToken.None);
        string[] config = ["--config-dir", "/etc/pigsty/mcli", "--no-color"];
        Assert.Equal(
        [
            [.. config, "mb", "--ignore-existing", "sss/pgsql"],
            [.. config, "mb", "--ignore-existing", "sss/meta"],
            [.. config, "version", "enable", "sss/meta"],
            [.. config, "mb", "--ignore-existing", "sss/data"],
            [.. config, "admin", "user", "add", "sss", "dba"],
            [.. config, "admin", "policy", "attach", "sss", "consoleAdmin", "--user", "dba"],
            [.. config, "admin", "policy", "create", "sss", "readwrite-pgsql", "/etc/pigsty/mcli/policies/readwrite-pgsql.json"],
            [.. config, "admin", "user", "add", "sss", "pgbackrest"],
            [.. config, "admin", "policy", "attach", "sss", "readwrite-pgsql", "--user", "pgbackrest"],
            [.. config, "ls", "sss"],
            [.. config, "admin", "user", "info", "sss", "dba"],
            [.. config, "admin", "user", "info", "sss", "pgbackrest"],
        ], mcli.Select(r => r.Arguments.ToArray()).ToList());

        // No secret on any command line (/proc/*/cmdline is world-readable): the alias is in mcli's 0600 config file, user secrets go on stdin.
        foreach (var secret in new[] { root, dba, pgbackrest })
        {
            Assert.All(mcli, r => Assert.DoesNotContain(r.Arguments, a => a.Contains(secret, StringComparison.Ordinal)));
            Assert.All(mcli, r => Assert.DoesNotContain(secret, r.Display(), StringComparison.Ordinal));
        }

        Assert.Equal(dba + "\n", mcli[4].StandardInput);
        Assert.Equal(pgbackrest + "\n", mcli[7].StandardInput);
        Assert.Equal([dba], mcli[4].Secrets);
        var mcliConfig = Path.Join(_root.Path, Mcli.ConfigPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(mcliConfig));
        using (var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(mcliConfig)))
        {
            var alias = json.RootElement.GetProperty("aliases").GetProperty("sss");
            Assert.Equal("10", json.RootElement.GetProperty("version").GetString());
            Assert.Equal("https://sss.pigsty:9000", alias.GetProperty("url").GetString());
            Assert.Equal("minioadmin", alias.GetProperty("accessKey").GetString());
            Assert.Equal(root, alias.GetProperty("secretKey").GetString());
        }

        Assert.Equal(["minio.service https://10.10.10.10:9000/minio/health/live (CA /etc/pki/ca.crt)"], machine.Probes);
        Assert.Equal(["daemon-reload", "enable minio.service", "start minio.service"], machine.FakeServices.Calls);
        var env = Path.Join(_root.Path, MinioSettings.EnvironmentPath);
        Assert.Contains($"MINIO_ROOT_PASSWORD=\"{root}\"", await File.ReadAllTextAsync(env), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(env));
        Assert.Equal(MinioRenderer.BucketPolicy("pgsql"), await File.ReadAllTextAsync(Path.Join(_root.Path, "/etc/pigsty/mcli/policies/readwrite-pgsql.json")));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/pigsty/mcli/certs/CAs/ca.crt")));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/minio/certs/CAs/ca.crt")));
        Assert.Contains("10.10.10.10 sss.pigsty\n", await File.ReadAllTextAsync(Path.Join(_root.Path, "/etc/hosts")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/pigsty/targets/minio/minio-1.yml")));
        var minioRepo = ModuleNodes.Sample("single-node.yml").Replace("pgbackrest_method: local", "pgbackrest_method: minio", StringComparison.Ordinal);
        var secretName = PgsqlFixture.Settings(minioRepo, "10.10.10.10").Backup.Options.Single(o => o.Key == "s3_key_secret").Secret;
        Assert.Equal("pgbackrest_s3_key_secret", secretName);
    }

    [Fact]
    public async Task A_failing_mcli_command_fails_the_step_with_the_secret_masked()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path);
        var node = MinioFixture.Node(_root.Path, "single-node.yml", "10.10.10.10");
        var dba = await node.Credentials.GetAsync("dba_s3_key_secret", CancellationToken.None);
        machine.Scripted.On(s => s.Tool == "mcli" && s.Arguments.Contains("add"), s => ScriptedProcesses.Fail(1, $"mcli: <ERROR> Unable to add new user with secret {s.StandardInput!.Trim()}: connection refused"));
        var step = new MinioModule().Plan(node).Steps.Single(s => s.Id == "minio.provision");

        var failed = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));
        var error = Assert.IsType<ToolException>(failed.InnerException);

        Assert.Equal("mcli --config-dir /etc/pigsty/mcli --no-color admin user add sss dba failed with code 1: "
            + "mcli: <ERROR> Unable to add new user with secret ***: connection refused", error.Message);
        Assert.DoesNotContain(dba, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pgbackrest_method_minio_without_a_minio_cluster_is_an_input_error()
    {
        var inventory = ModuleNodes.Sample("single-node.yml")
            .Replace("    minio:   { hosts: { 10.10.10.10: { minio_seq: 1 } }, vars: { minio_cluster: minio } }\n", "", StringComparison.Ordinal)
            .Replace("pgbackrest_method: local", "pgbackrest_method: minio", StringComparison.Ordinal);

        var error = Assert.Throws<InputException>(() => PgsqlFixture.Settings(inventory, "10.10.10.10"));

        Assert.Contains("pgbackrest_method is minio but the inventory defines no minio cluster "
            + "(add a 'minio' group with minio_cluster and minio_seq, or use pgbackrest_method: local)", error.Message, StringComparison.Ordinal);
        Assert.Contains("all.vars.pgbackrest_method", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pgbackrest_method_minio_with_a_bundle_without_minio_is_an_input_error()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pgbackrest_method: local", "pgbackrest_method: minio", StringComparison.Ordinal);
        var node = Node(inventory, "10.10.10.10", await RepoAsync("postgresql-15"));

        var error = Assert.Throws<InputException>(() => PgsqlSettings.From(node, new FixedResources()));

        Assert.Contains("pgbackrest_method is minio but MINIO is skipped: minio not in bundle "
            + "(use a bundle that includes minio and mcli, or pgbackrest_method: local)", error.Message, StringComparison.Ordinal);
    }
}
