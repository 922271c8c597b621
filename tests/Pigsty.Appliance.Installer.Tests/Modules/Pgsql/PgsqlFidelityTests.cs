using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>Pigsty parameters whose silent neglect would do something other than the inventory says (issue 12's measured list).</summary>
public sealed class PgsqlFidelityTests
{
    private static string Single(string clusterVars) =>
        ModuleNodes.Sample("single-node.yml").Replace("        pg_conf: tiny\n", "        pg_conf: tiny\n" + clusterVars, StringComparison.Ordinal);

    [Fact]
    public void Pg_version_the_bundle_lacks_is_an_error_naming_the_package()
    {
        var error = Assert.ThrowsAny<ApplianceException>(() => PgsqlFixture.Settings(Single("        pg_version: 17\n"), "10.10.10.10"));

        Assert.EndsWith("pg_version 17: the bundle has no postgresql-17 (it carries PostgreSQL 15); use a bundle built with that major or set pg_version to one it has",
            error.Message, StringComparison.Ordinal);
        Assert.Contains("pg_version", error.Message, StringComparison.Ordinal);
        Assert.Equal(15, PgsqlFixture.Settings(Single("        pg_version: 15\n"), "10.10.10.10").Version);
    }

    [Fact]
    public void A_debian13_bundle_gives_postgresql_17_and_refuses_15_naming_what_it_has()
    {
        using var root = new TempDirectory();
        PgsqlSettings On13(string vars) =>
            PgsqlSettings.From(ModuleNodes.Create(root.Path, Single(vars), "10.10.10.10", PgsqlFixture.WithMinio, TargetPlatform.Debian13), new FixedResources());

        var settings = On13("");
        var error = Assert.ThrowsAny<ApplianceException>(() => On13("        pg_version: 15\n"));

        Assert.Equal(17, settings.Version);
        Assert.Equal("/usr/lib/postgresql/17/bin", settings.BinDir);
        Assert.EndsWith("pg_version 15: the bundle has no postgresql-15 (it carries PostgreSQL 17); use a bundle built with that major or set pg_version to one it has",
            error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pg_libs_naming_a_library_the_bundle_lacks_is_an_error()
    {
        var error = Assert.ThrowsAny<ApplianceException>(() =>
            PgsqlFixture.Settings(Single("        pg_libs: 'timescaledb, pg_stat_statements, auto_explain'\n"), "10.10.10.10"));

        Assert.EndsWith("pg_libs names 'timescaledb', but the bundle has none of postgresql-15-timescaledb, timescaledb: PostgreSQL would not start",
            error.Message, StringComparison.Ordinal);
        var ok = PgsqlFixture.Settings(Single("        pg_libs: 'pg_stat_statements, auto_explain'\n"), "10.10.10.10");
        Assert.Equal("pg_stat_statements, auto_explain", ok.Libraries);
    }

    [Fact]
    public void Pg_rto_takes_v4_presets_and_v3_seconds()
    {
        var norm = PgsqlFixture.Settings(Single("        pg_rto: norm\n"), "10.10.10.10");
        var fast = PgsqlFixture.Settings(Single("        pg_rto: fast\n"), "10.10.10.10");
        var seconds = PgsqlFixture.Settings(Single("        pg_rto: 30\n"), "10.10.10.10");

        Assert.Equal((30, 5, 10), (norm.Rto.Ttl, norm.Rto.LoopWait, norm.Rto.RetryTimeout));
        Assert.Equal((20, "1s"), (fast.Rto.Ttl, fast.Rto.Inter));
        Assert.Equal((30, 10, 10), (seconds.Rto.Ttl, seconds.Rto.LoopWait, seconds.Rto.RetryTimeout));
        Assert.Contains("ttl: 20", PatroniRenderer.Render(fast, PgsqlFixture.Secrets), StringComparison.Ordinal);
        var error = Assert.ThrowsAny<ApplianceException>(() => PgsqlFixture.Settings(Single("        pg_rto: slow\n"), "10.10.10.10"));
        Assert.EndsWith("unknown pg_rto 'slow' (expected fast, norm, safe, wide, or seconds)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pgbouncer_disabled_routes_the_default_services_to_postgres()
    {
        var with = HaproxyRenderer.Render(PgsqlFixture.Settings(Single(""), "10.10.10.10"));
        var without = HaproxyRenderer.Render(PgsqlFixture.Settings(Single("        pgbouncer_enabled: false\n"), "10.10.10.10"));

        Assert.Contains("10.10.10.10:6432", with, StringComparison.Ordinal);
        Assert.DoesNotContain(":6432", without, StringComparison.Ordinal);
        Assert.Contains("10.10.10.10:5432", without, StringComparison.Ordinal);
        Assert.Contains("bind *:5433", without, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_with_state_absent_is_dropped_not_created()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("roles: [dbrole_admin] }\n", "roles: [dbrole_admin] }\n          - { name: dbuser_old, state: absent }\n",
            StringComparison.Ordinal);
        var settings = PgsqlFixture.Settings(inventory, "10.10.10.10");
        var roles = SqlRenderer.Roles(settings, RolePasswords.Verifiers(settings, PgsqlFixture.Secrets, new Dictionary<string, string?>()));

        Assert.Equal(["dbuser_old"], settings.DroppedUsers);
        Assert.DoesNotContain("dbuser_old", roles, StringComparison.Ordinal);
        Assert.Contains("dbuser_meta", roles, StringComparison.Ordinal);
        Assert.Contains("DROP ROLE IF EXISTS \"dbuser_old\"", SqlRenderer.DropRoles(settings), StringComparison.Ordinal);
        Assert.Contains("REASSIGN OWNED BY \"dbuser_old\"", SqlRenderer.DropOwned(settings), StringComparison.Ordinal);
        using var root = new Pigsty.Appliance.Testing.TempDirectory();
        var plan = new PgsqlModule(new FixedResources()).Plan(PgsqlFixture.Node(root, inventory, "10.10.10.10"));
        Assert.Contains(plan.Steps, s => s.Id == "pgsql.drop");
    }

    [Fact]
    public async Task Pg_crontab_removed_from_the_inventory_takes_away_the_timers_an_earlier_run_wrote()
    {
        using var root = new Pigsty.Appliance.Testing.TempDirectory();
        var machine = new Fakes.FakeMachine(root.Path);
        async Task<bool> RunAsync(string inventory)
        {
            var node = PgsqlFixture.Node(root, inventory, "10.10.10.10");
            var step = Assert.Single(new PgsqlModule(new FixedResources()).Plan(node).Steps, s => s.Id == "pgsql.crontab");
            return await Fakes.StepRunner.RunAsync(step, ModuleNodes.Context(node, machine));
        }

        Assert.True(await RunAsync(Single("        pg_crontab: ['00 01 * * * /pg/bin/pg-backup full']\n")));
        Assert.True(File.Exists(Path.Join(root.Path, "etc/systemd/system/pigsty-pg-cron-1.timer")));

        Assert.True(await RunAsync(Single("")));
        Assert.Empty(Directory.GetFiles(Path.Join(root.Path, "etc/systemd/system"), "pigsty-pg-cron-*"));
        Assert.Contains("stop pigsty-pg-cron-1.timer", machine.FakeServices.Calls);
        Assert.False(await RunAsync(Single("")));
    }

    [Fact]
    public async Task The_vip_sudoers_rule_is_checked_by_visudo_before_it_replaces_the_real_file()
    {
        using var root = new Pigsty.Appliance.Testing.TempDirectory();
        var machine = new Fakes.FakeMachine(root.Path);
        var checkedFirst = new List<(string Path, bool RealExists)>();
        machine.Scripted.On(s => s.FileName == "visudo", s =>
        {
            checkedFirst.Add((s.Arguments[^1], File.Exists(Path.Join(root.Path, PgVipRenderer.SudoersPath))));
            return new Core.Processes.ProcessResult(1, "", $"{s.Arguments[^1]}:1:7: syntax error\n", TimeSpan.Zero);
        });
        machine.Scripted.On(s => s.FileName == "ip" && s.Arguments.Contains("addr"), _ =>
            Pigsty.Appliance.Testing.ScriptedProcesses.Ok("2: ens3    inet 10.10.10.10/24 brd 10.10.10.255 scope global ens3\\       valid_lft forever preferred_lft forever\n"));
        var node = PgsqlFixture.Node(root, Single("        pg_vip_enabled: true\n        pg_vip_address: 10.10.10.2/24\n"), "10.10.10.10");
        var step = Assert.Single(new PgsqlModule(new FixedResources()).Plan(node).Steps, s => s.Id == "pgsql.vip");

        var error = await Assert.ThrowsAsync<InstallException>(() => Fakes.StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));

        // A broken rule in /etc/sudoers.d would lock sudo out for everyone: it never gets there, and its candidate does not stay.
        Assert.Equal("pgsql.vip", error.Step);
        Assert.Contains("visudo refuses the new /etc/sudoers.d/pg-vip, so it was left as it was", error.Reason, StringComparison.Ordinal);
        Assert.Equal(("/etc/sudoers.d/.pg-vip.pigsty-check", false), checkedFirst[0]);
        Assert.False(File.Exists(Path.Join(root.Path, PgVipRenderer.SudoersPath)));
        Assert.False(File.Exists(Path.Join(root.Path, "/etc/sudoers.d/.pg-vip.pigsty-check")));
    }
}
