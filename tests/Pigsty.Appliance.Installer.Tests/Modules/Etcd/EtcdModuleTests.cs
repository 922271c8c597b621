using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Etcd;

public sealed class EtcdModuleTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Describe(string sample, string address)
    {
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample(sample), address);
        return InstallPlan.Create(node, [new EtcdModule()]).Describe();
    }

    [Fact]
    public void Single_node_plan_installs_a_member_enables_auth_and_registers_it()
    {
        Assert.Equal("""
            node 10.10.10.10 (pg-meta-1)
            ETCD: 8 steps
              etcd.packages  install etcd-server, etcd-client
              etcd.directories  etcd directories (/etc/etcd, /data/etcd)  [after etcd.packages]
              etcd.certificate  certificate etcd-1 from the site CA (/etc/etcd/server.crt)  [after etcd.packages]
              etcd.units  unit files etcd.service (one daemon-reload)  [after etcd.packages]
              etcd.service  etcd member etcd-1 (https://10.10.10.10:2379)  [after etcd.packages, etcd.directories, etcd.certificate, etcd.units]
              etcd.auth  root user and authentication on etcd cluster etcd  [after etcd.service]
              etcd.patroni-users  etcd users for Patroni: pg-meta (read-write /pg/pg-meta/)  [after etcd.auth]
              etcd.register  scrape targets and alert rules for etcd (etcd-1)

            """, Describe("single-node.yml", "10.10.10.10"));
    }

    [Fact]
    public void In_a_three_node_cluster_the_first_member_enables_auth_and_the_others_wait_for_it()
    {
        ModuleNodes.WriteSiteMaterial(_root.Path, "10.10.10.11", "etcd");
        var first = Describe("three-node-ha.yml", "10.10.10.10");
        var second = Describe("three-node-ha.yml", "10.10.10.11");

        Assert.Contains("etcd.auth  root user and authentication on etcd cluster etcd  [after etcd.service]\n", first, StringComparison.Ordinal);
        Assert.Contains("etcd.auth  wait for authentication on etcd cluster etcd (enabled by etcd-1)  [after etcd.service]\n", second, StringComparison.Ordinal);
        Assert.Contains("etcd.register  scrape targets and alert rules for etcd (etcd-1, etcd-2, etcd-3)\n", second, StringComparison.Ordinal);
        Assert.DoesNotContain("note:", first, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_outside_etcd_and_infra_is_skipped_with_a_reason()
    {
        var inventory = """
            all:
              children:
                infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                etcd:  { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                pg-test: { hosts: { 10.10.10.20: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-test } }
              vars: { admin_ip: 10.10.10.10 }
            """;
        var node = ModuleNodes.Create(_root.Path, inventory, "10.10.10.20");

        var plan = new EtcdModule().Plan(node);

        Assert.Equal("this node is neither an etcd member nor an INFRA node", plan.SkipReason);
    }

    [Fact]
    public async Task Steps_converge_a_member_once_and_a_second_run_does_nothing()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. EtcdModule.Packages]);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        var context = ModuleNodes.Context(node, machine);
        var authEnabled = false;
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["auth", "enable"]), _ =>
        {
            authEnabled = true;
            return ScriptedProcesses.Ok("Authentication Enabled\n");
        });
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), s =>
            authEnabled && s.Environment["ETCDCTL_USER"] is null ? ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n") : ScriptedProcesses.Ok());
        // Patroni's user reads its prefix and nothing else; before it exists its role and user are unknown.
        var users = new HashSet<string>();
        machine.Scripted.On(s => s.Arguments is ["role" or "user", "get", ..], s =>
            users.Contains($"{s.Arguments[0]} {s.Arguments[2]}") ? ScriptedProcesses.Ok($"User: {s.Arguments[2]}\nRoles: {s.Arguments[2]}\n") : ScriptedProcesses.Fail(1, $"Error: etcdserver: {s.Arguments[0]} name not found\n"));
        machine.Scripted.On(s => s.Arguments is ["role" or "user", "add", ..], s => { users.Add($"{s.Arguments[0]} {s.Arguments[2]}"); return ScriptedProcesses.Ok(); });
        machine.Scripted.On(s => s.Arguments is ["get", "/pg/pg-meta"], _ => ScriptedProcesses.Fail(1, "Error: etcdserver: permission denied\n"));
        var steps = new EtcdModule().Plan(node).Steps;

        var first = await StepRunner.RunAsync(steps, context);
        var calls = machine.Scripted.Lines.ToList();
        var second = await StepRunner.RunAsync(steps, context);

        Assert.Equal(["etcd.packages", "etcd.directories", "etcd.certificate", "etcd.units", "etcd.service", "etcd.auth", "etcd.patroni-users", "etcd.register"], first);
        Assert.Empty(second);
        Assert.Contains("etcdctl user add root --interactive=false", calls);
        Assert.Contains("etcdctl user grant-role root root", calls);
        Assert.Equal(["daemon-reload", "enable etcd.service", "start etcd.service"], machine.FakeServices.Calls);
        Assert.Equal(["etcd.service http://10.10.10.10:2381/health"], machine.Probes);
        var password = await node.Credentials.GetAsync(EtcdSettings.RootPasswordName, CancellationToken.None);
        Assert.Equal(password + "\n", machine.Scripted.Runs.Single(r => r.Arguments.SequenceEqual(["user", "add", "root", "--interactive=false"])).StandardInput);
        Assert.DoesNotContain(machine.Scripted.Runs, r => r.Arguments.Any(a => a.Contains(password, StringComparison.Ordinal)));
        var patroni = await node.Credentials.GetAsync("pg_etcd_pg-meta_password", CancellationToken.None);
        Assert.Equal(
        [
            "etcdctl role get pg-meta", "etcdctl role add pg-meta", "etcdctl role grant-permission pg-meta --prefix=true readwrite /pg/pg-meta/",
            "etcdctl user get pg-meta", "etcdctl user add pg-meta --interactive=false", "etcdctl user grant-role pg-meta pg-meta",
            "etcdctl get /pg/pg-meta/ --prefix --keys-only --limit=1", "etcdctl get /pg/pg-meta",
        ], calls.SkipWhile(c => !c.StartsWith("etcdctl role", StringComparison.Ordinal)).Where(c => c.StartsWith("etcdctl", StringComparison.Ordinal) && !c.EndsWith("get root", StringComparison.Ordinal) && !c.EndsWith("user list", StringComparison.Ordinal)));
        Assert.Equal(patroni + "\n", machine.Scripted.Runs.Single(r => r.Arguments.SequenceEqual(["user", "add", "pg-meta", "--interactive=false"])).StandardInput);
        Assert.All(machine.Scripted.Runs.Where(r => r.Arguments is ["get", "/pg/pg-meta", ..]), r => Assert.Equal("pg-meta", r.Environment["ETCDCTL_USER"]));
        Assert.DoesNotContain(machine.Scripted.Runs, r => r.Arguments.Any(a => a.Contains(patroni, StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/pigsty/targets/etcd/etcd-1.yml")));
        Assert.True(File.Exists(Path.Join(_root.Path, "/etc/pigsty/rules/etcd.yml")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(_root.Path, EtcdSettings.KeyPath)));
    }

    [Fact]
    public async Task A_member_without_the_site_ca_fails_naming_the_ca_files()
    {
        var machine = new FakeMachine(_root.Path, [.. EtcdModule.Packages]);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        var step = new EtcdModule().Plan(node).Steps.Single(s => s.Id == "etcd.certificate");

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));

        Assert.Contains("the site CA is not on this node (/etc/pki/ca.crt and /etc/pki/ca.key)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_already_enabled_with_another_password_is_a_clear_error()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ => ScriptedProcesses.Fail(2, "authentication failed"));
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), _ => ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty"));
        var step = new EtcdModule().Plan(node).Steps.Single(s => s.Id == "etcd.auth");

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));

        Assert.Contains("authentication is already enabled on etcd cluster etcd and the root password", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timed_out_root_login_is_asked_again_and_not_taken_for_a_refused_password()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        var asks = 0;
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ =>
            ++asks < 3 ? ScriptedProcesses.Fail(1, "Error: context deadline exceeded\n") : ScriptedProcesses.Ok("User: root\nRoles: root\n"));
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), _ => ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n"));
        var step = new EtcdModule().Plan(node).Steps.Single(s => s.Id == "etcd.auth");

        var applied = await StepRunner.RunAsync(step, ModuleNodes.Context(node, machine));

        Assert.False(applied);
        Assert.Equal(3, asks);
    }

    [Fact]
    public async Task An_etcd_that_never_answers_is_named_and_not_taken_for_a_refused_password()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ => ScriptedProcesses.Fail(1, "{\"level\":\"warn\"}\nError: etcdserver: request timed out\n"));
        var (cluster, member) = node.Etcd!.Value;
        var settings = EtcdSettings.From(node.Vars, cluster, member);
        var step = EtcdAuth.Enable(settings, TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<InstallException>(() => StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));

        Assert.EndsWith("etcd on https://10.10.10.10:2379 did not answer for 3 s: Error: etcdserver: request timed out", error.Message, StringComparison.Ordinal);
        Assert.InRange(machine.Scripted.Runs.Count(r => r.Arguments.SequenceEqual(["user", "get", "root"])), 2, 3);
        Assert.DoesNotContain(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["user", "list"]));
    }

    [Fact]
    public async Task A_peer_waiting_for_authentication_keeps_waiting_while_etcd_is_silent()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        var asks = 0;
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ =>
            ++asks < 8 ? ScriptedProcesses.Fail(1, "Error: context deadline exceeded\n") : ScriptedProcesses.Ok("User: root\nRoles: root\n"));
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), _ => ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n"));
        var (cluster, member) = node.Etcd!.Value;
        var step = EtcdAuth.Await(EtcdSettings.From(node.Vars, cluster, member));

        // Seven silent answers in a row (a slow three-VM cluster gave more than a minute of them) are waiting, not a failure.
        Assert.True(await StepRunner.RunAsync(step, ModuleNodes.Context(node, machine)));
        Assert.Equal(8, asks);
    }

    [Fact]
    public async Task An_etcdctl_stopped_on_its_timeout_is_silence_and_the_peer_keeps_waiting()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("three-node-ha.yml"), "10.10.10.11");
        var asks = 0;
        // As a three-VM run saw: etcdctl, trying the members in turn, ran past its own command timeout and the runner stopped it.
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ => ++asks < 3
            ? throw new ToolException("etcdctl", null, "retrying of unary invoker failed", "etcdctl timed out after 45 s and was stopped: retrying of unary invoker failed") { TimedOut = true }
            : ScriptedProcesses.Ok("User: root\nRoles: root\n"));
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), _ => ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n"));
        var (cluster, member) = node.Etcd!.Value;

        Assert.True(await StepRunner.RunAsync(EtcdAuth.Await(EtcdSettings.From(node.Vars, cluster, member)), ModuleNodes.Context(node, machine)));
        Assert.Equal(3, asks);
    }

    [Fact]
    public async Task A_peer_asks_every_member_so_that_its_own_loaded_member_cannot_stall_it()
    {
        var machine = new FakeMachine(_root.Path);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("three-node-ha.yml"), "10.10.10.11");
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "get", "root"]), _ => ScriptedProcesses.Ok("User: root\nRoles: root\n"));
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), _ => ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n"));
        var (cluster, member) = node.Etcd!.Value;

        // Already enabled: the check finds it so and the step has nothing to apply.
        Assert.False(await StepRunner.RunAsync(EtcdAuth.Await(EtcdSettings.From(node.Vars, cluster, member)), ModuleNodes.Context(node, machine)));

        // As Pigsty's etcdctl profile: a three-VM run once timed out on every write through the infra node's own starved member.
        Assert.All(machine.Scripted.Runs.Where(r => r.FileName == "etcdctl"), r => Assert.Equal(
            "https://10.10.10.10:2379,https://10.10.10.11:2379,https://10.10.10.12:2379", r.Environment["ETCDCTL_ENDPOINTS"]));
        Assert.NotEmpty(machine.Scripted.Runs);
    }

    [Fact]
    public async Task Writes_that_time_out_after_etcd_applied_them_converge_on_the_next_attempt()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. EtcdModule.Packages]);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        const string Silent = "{\"level\":\"warn\",\"error\":\"rpc error: code = DeadlineExceeded desc = context deadline exceeded\"}\nError: context deadline exceeded\n";
        var authEnabled = false;
        var users = new HashSet<string>();
        // Three slow VMs: 'auth enable' and 'role add' were applied by the cluster, but the answer came too late.
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["auth", "enable"]), _ =>
        {
            var first = !authEnabled;
            authEnabled = true;
            return first ? ScriptedProcesses.Fail(1, Silent) : ScriptedProcesses.Ok("Authentication Enabled\n");
        });
        ScriptLookups(machine, users, () => authEnabled);
        machine.Scripted.On(s => s.Arguments is ["role" or "user", "add", ..], s =>
        {
            var first = users.Add($"{s.Arguments[0]} {s.Arguments[2]}");
            return first && s.Arguments[0] == "role" ? ScriptedProcesses.Fail(1, Silent) : ScriptedProcesses.Ok();
        });
        machine.Scripted.On(s => s.Arguments is ["get", "/pg/pg-meta"], _ => ScriptedProcesses.Fail(1, "Error: etcdserver: permission denied\n"));
        var steps = new EtcdModule().Plan(node).Steps;

        var applied = await StepRunner.RunAsync(steps, ModuleNodes.Context(node, machine));

        Assert.Contains("etcd.auth", applied);
        Assert.Contains("etcd.patroni-users", applied);
        Assert.Single(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["auth", "enable"]));
        Assert.Single(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["role", "add", "pg-meta"]));
        Assert.Contains("user pg-meta", users);
    }

    [Fact]
    public async Task An_add_that_etcdctl_repeated_after_etcd_applied_it_is_done_and_the_password_is_set()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. EtcdModule.Packages]);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        var authEnabled = false;
        var users = new HashSet<string>();
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["auth", "enable"]), _ =>
        {
            authEnabled = true;
            return ScriptedProcesses.Ok("Authentication Enabled\n");
        });
        ScriptLookups(machine, users, () => authEnabled);
        // As the HA run's etcdctl answered: its own retry of an add that the cluster had applied.
        machine.Scripted.On(s => s.Arguments is ["role" or "user", "add", ..], s =>
        {
            users.Add($"{s.Arguments[0]} {s.Arguments[2]}");
            return ScriptedProcesses.Fail(1, "{\"level\":\"warn\",\"msg\":\"retrying of unary invoker failed\",\"error\":\"rpc error: code = FailedPrecondition desc = "
                + $"etcdserver: {s.Arguments[0]} name already exists\"}}\nError: etcdserver: {s.Arguments[0]} name already exists\n");
        });
        machine.Scripted.On(s => s.Arguments is ["get", "/pg/pg-meta"], _ => ScriptedProcesses.Fail(1, "Error: etcdserver: permission denied\n"));

        var applied = await StepRunner.RunAsync(new EtcdModule().Plan(node).Steps, ModuleNodes.Context(node, machine));

        Assert.Contains("etcd.auth", applied);
        Assert.Contains("etcd.patroni-users", applied);
        Assert.Contains(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["user", "passwd", "root", "--interactive=false"]));
        Assert.Contains(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["user", "passwd", "pg-meta", "--interactive=false"]));
        Assert.Single(machine.Scripted.Runs, r => r.Arguments.SequenceEqual(["role", "add", "pg-meta"]));
    }

    [Fact]
    public async Task A_role_lookup_that_fails_for_another_reason_stops_the_step_before_any_add()
    {
        ModuleNodes.WriteCa(_root.Path);
        var machine = new FakeMachine(_root.Path, [.. EtcdModule.Packages]);
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("single-node.yml"), "10.10.10.10");
        machine.Scripted.On(s => s.Arguments is ["role", "get", ..], _ => ScriptedProcesses.Fail(1, "Error: etcdserver: permission denied\n"));
        var step = new EtcdModule().Plan(node).Steps.Single(s => s.Id == "etcd.patroni-users");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => StepRunner.RunAsync([step], ModuleNodes.Context(node, machine)));

        Assert.Contains("role get pg-meta", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(machine.Scripted.Runs, r => r.Arguments is ["role", "add", ..]);
    }

    /// <summary>etcd's answers to lookups: anonymous requests refused once authentication is on, users and roles found once added (root once auth is on).</summary>
    private static void ScriptLookups(FakeMachine machine, HashSet<string> users, Func<bool> authEnabled)
    {
        machine.Scripted.On(s => s.Arguments.SequenceEqual(["user", "list"]), s =>
            authEnabled() && s.Environment["ETCDCTL_USER"] is null ? ScriptedProcesses.Fail(1, "Error: etcdserver: user name is empty\n") : ScriptedProcesses.Ok());
        machine.Scripted.On(s => s.Arguments is ["role" or "user", "get", ..], s =>
            users.Contains($"{s.Arguments[0]} {s.Arguments[2]}") || (s.Arguments[2] == "root" && authEnabled())
                ? ScriptedProcesses.Ok($"User: {s.Arguments[2]}\nRoles: {s.Arguments[2]}\n") : ScriptedProcesses.Fail(1, $"Error: etcdserver: {s.Arguments[0]} name not found\n"));
    }
}
