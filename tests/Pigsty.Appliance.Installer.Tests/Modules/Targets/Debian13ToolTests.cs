using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Targets;

/// <summary>
/// A Debian 13 bundle's rendered files judged by Debian 13's own programs (Patroni 4.0 on Python 3.13, haproxy 3.0, PostgreSQL 17),
/// unpacked from trixie's packages by build/target-tools.sh and run with trixie's loader and libraries (etcd 3.5: EtcdRealServerTests).
/// </summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class Debian13ToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private readonly TargetTools _tools = TargetTools.Require(TargetPlatform.Debian13.Os);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("single-node.yml", "10.10.10.10")]
    [InlineData("three-node-ha.yml", "10.10.10.12")]
    [InlineData("three-node-vip.yml", "10.10.10.13")]
    public async Task Patroni_4_validates_its_configuration(string sample, string address)
    {
        var settings = PgsqlFixture.Settings(sample, address, platform: TargetPlatform.Debian13);
        // The validator looks for PostgreSQL 17's programs in bin_dir: they are in the unpacked root, not on this host.
        var text = PatroniRenderer.Render(settings, PgsqlFixture.Secrets).Replace($"bin_dir: {settings.BinDir}\n", $"bin_dir: {_tools.PathOf(settings.BinDir)}\n", StringComparison.Ordinal);
        var path = _temp.Write("patroni.yml", text);

        var check = await TargetTools.CheckAsync(_tools.Python("/usr/bin/patroni", "--validate-config", path));

        Assert.Empty(check.StandardError);
        var version = await TargetTools.CheckAsync(_tools.Python("/usr/bin/patroni", "--version"));
        Assert.StartsWith("patroni 4.", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patroni_4_validation_can_fail()
    {
        var settings = PgsqlFixture.Settings("single-node.yml", "10.10.10.10", platform: TargetPlatform.Debian13);
        var path = _temp.Write("patroni.yml", PatroniRenderer.Render(settings, PgsqlFixture.Secrets).Replace("    ttl: 30\n", "    ttl: 3\n", StringComparison.Ordinal));

        var check = await TargetTools.RunAsync(_tools.Python("/usr/bin/patroni", "--validate-config", path));

        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("bootstrap.dcs.ttl 3 didn't pass validation", check.StandardOutput + check.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("single-node.yml", "10.10.10.10")]
    [InlineData("three-node-vip.yml", "10.10.10.12")]
    public async Task Haproxy_3_0_accepts_the_node_config_and_the_services_with_warnings_as_errors(string sample, string address)
    {
        var node = PgsqlFixture.Node(_temp, sample, address, TargetPlatform.Debian13);
        var config = _temp.Write("haproxy.cfg", HaproxyConfig.Render(NodeSettings.From(node), "Hx7rK2mPq9"));
        _temp.Write("conf.d/pg.cfg", HaproxyRenderer.Render(PgsqlFixture.Settings(sample, address, platform: TargetPlatform.Debian13)));

        // -dW: haproxy 3.0 refuses to start on any warning, so a keyword deprecated in 3.0 fails here.
        // (3.0 prints nothing on success: the exit code is the verdict.)
        var check = await TargetTools.CheckAsync(_tools.Spec("/usr/sbin/haproxy", "-dW", "-c", "-f", config, "-f", _temp.File("conf.d")));

        Assert.Empty(check.StandardError);
        var version = await TargetTools.CheckAsync(_tools.Spec("/usr/sbin/haproxy", "-v"));
        Assert.StartsWith("HAProxy version 3.0.", version.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Haproxy_3_0_with_warnings_as_errors_can_fail()
    {
        // A proxy without timeouts is valid but warned about: with -dW the check fails.
        var config = _temp.Write("haproxy.cfg", "defaults\n    mode tcp\nlisten x\n    bind 127.0.0.1:1\n    server a 127.0.0.1:2\n");

        var check = await TargetTools.RunAsync(_tools.Spec("/usr/sbin/haproxy", "-dW", "-c", "-f", config));

        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("missing timeouts", check.StandardOutput + check.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("single-node.yml", "10.10.10.10", "tiny")]
    [InlineData("three-node-ha.yml", "10.10.10.11", "oltp")]
    [InlineData("three-node-ha.yml", "10.10.10.12", "olap")]
    public async Task PostgreSQL_17_reads_the_parameters_without_an_error(string sample, string address, string profile)
    {
        var settings = PgsqlFixture.Settings(sample, address, platform: TargetPlatform.Debian13);
        Assert.Equal(profile, settings.Tuning.Profile);
        var data = Directory.CreateDirectory(_temp.File("data")).FullName;
        await File.WriteAllTextAsync(Path.Join(data, "postgresql.conf"), PgParameters.ConfFile(settings));
        await RealTool.CheckAsync("chown", "-R", "postgres:postgres", _temp.Path);
        await RealTool.CheckAsync("chmod", "0755", _temp.Path);

        // postgres -C reads postgresql.conf as the server does at start and stops at the first unknown name or bad value.
        var postgres = _tools.Spec($"{settings.BinDir}/postgres", "-D", data, "-C", "shared_buffers");
        var check = await TargetTools.CheckAsync(postgres with { FileName = RealTool.Require("runuser"), Arguments = ["-u", "postgres", "--", postgres.FileName, .. postgres.Arguments] });

        Assert.Equal($"{settings.Tuning.SharedBuffersMb * 128}\n", check.StandardOutput);
        Assert.DoesNotContain("unrecognized configuration parameter", check.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The table of removed parameters is what the servers say: PostgreSQL 15 (the host's) reads each, 17 refuses each.</summary>
    [Fact]
    public async Task PostgreSQL_15_reads_and_17_refuses_every_parameter_the_removed_table_names()
    {
        var data = Directory.CreateDirectory(_temp.File("data")).FullName;
        await RealTool.CheckAsync("chown", "-R", "postgres:postgres", _temp.Path);
        await RealTool.CheckAsync("chmod", "0755", _temp.Path);
        foreach (var (name, (major, _)) in PgParameters.Removed)
        {
            var value = name is "promote_trigger_file" ? "'/tmp/promote'" : name == "force_parallel_mode" ? "'off'" : name == "trace_recovery_messages" ? "'log'" : name == "db_user_namespace" ? "off" : "0";
            await File.WriteAllTextAsync(Path.Join(data, "postgresql.conf"), $"{name} = {value}\n");
            var old = await RealTool.RunAsync("runuser", "-u", "postgres", "--", RealTool.Require("/usr/lib/postgresql/15/bin/postgres"), "-D", data, "-C", name);
            var postgres = _tools.Spec("/usr/lib/postgresql/17/bin/postgres", "-D", data, "-C", name);
            var now = await TargetTools.RunAsync(postgres with { FileName = RealTool.Require("runuser"), Arguments = ["-u", "postgres", "--", postgres.FileName, .. postgres.Arguments] });

            Assert.True(old.ExitCode == 0, $"{name}: {old.StandardError}");
            Assert.True(major <= 17 && now.ExitCode != 0, $"{name}: PostgreSQL 17 exited {now.ExitCode}");
            Assert.Contains($"unrecognized configuration parameter \"{name}\"", now.StandardError, StringComparison.Ordinal);
        }
    }

    /// <summary>Which contrib extensions each major ships is what the packages hold: the host's postgresql-15 and trixie's postgresql-17.</summary>
    [Fact]
    public void The_contrib_lists_of_15_and_17_are_the_control_files_of_their_packages()
    {
        static HashSet<string> Controls(string directory) =>
            Directory.EnumerateFiles(directory, "*.control").Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
        RealTool.Require("/usr/lib/postgresql/15/bin/postgres");
        var fifteen = Controls("/usr/share/postgresql/15/extension");
        var seventeen = Controls(_tools.PathOf("/usr/share/postgresql/17/extension"));

        Assert.All(Installer.Modules.Pgsql.PgExtensions.Contrib, e => Assert.Equal(fifteen.Contains(e), Installer.Modules.Pgsql.PgExtensions.IsContrib(e, 15)));
        Assert.All(Installer.Modules.Pgsql.PgExtensions.Contrib, e => Assert.Equal(seventeen.Contains(e), Installer.Modules.Pgsql.PgExtensions.IsContrib(e, 17)));
    }

    /// <summary>
    /// Patroni 4 calls back with role <c>primary</c> where 3.0 said <c>master</c> (4.0.0's release notes); the same script serves both.
    /// Here trixie's Python 3.13 runs it in a network namespace of the test's own: primary takes the VIP, replica gives it up.
    /// </summary>
    [Fact]
    public async Task The_vip_callback_runs_on_python_3_13_and_follows_patroni_4s_primary_role()
    {
        var s = PgsqlFixture.Settings("three-node-vip.yml", "10.10.10.12", platform: TargetPlatform.Debian13);
        var script = _temp.Write("pg-vip", PgVipRenderer.Script(s, s.Vip!, "v0"));
        var python = _tools.Spec("/usr/bin/python3.13", "-S", script);
        var run = string.Join(' ', python.Arguments.Prepend(python.FileName));
        var steps = string.Join(" && ",
            "ip link add v0 type veth peer name v1", "ip addr add 10.10.10.12/24 dev v0", "ip link set v0 up", "ip link set v1 up",
            $"{run} on_start replica pg-test", "echo A; ip -o -4 addr show v0",
            $"{run} on_role_change primary pg-test", "echo B; ip -o -4 addr show v0",
            $"{run} on_role_change replica pg-test", "echo C; ip -o -4 addr show v0");

        var result = await RealTool.CheckAsync("unshare", "-n", "sh", "-c", steps);

        var parts = result.StandardOutput.Split(["A\n", "B\n", "C\n"], StringSplitOptions.None);
        Assert.DoesNotContain("inet 10.10.10.3/24", parts[1], StringComparison.Ordinal);
        Assert.Contains("inet 10.10.10.3/24", parts[2], StringComparison.Ordinal);
        Assert.DoesNotContain("inet 10.10.10.3/24", parts[3], StringComparison.Ordinal);
        Assert.Contains("pg-vip: on_role_change as primary: 10.10.10.3/24 added on v0 (pg-test)", result.StandardOutput, StringComparison.Ordinal);
    }
}
