using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>
/// The embedded default seed gives the admin user no SSH key: first boot gives it a one-time password that must be changed at the
/// first login, shown on the local console and its login banner, and nowhere a network reaches (status.json, the install log).
/// </summary>
public sealed class AdminPasswordTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task First_boot_from_the_embedded_seed_sets_an_expired_one_time_password_shown_on_the_console_and_banner_only()
    {
        _temp.Write("default.yml", TestNode.SingleNode);
        var machine = new FakeMachine(_temp.File("root"));
        var console = "";
        machine.Scripted.On(s => s is { Tool: "dd", Arguments: ["of=/dev/console", "status=none"] }, s => { console += s.StandardInput; return ScriptedProcesses.Ok(); });
        var lines = new List<string>();
        var installer = FirstBootSetup.Installer(_temp, machine, new ScriptedProcesses(), volume: false, console: lines.Add, modules: [new AdminOnly()]);

        await installer.RunAsync(new InstallOptions(null, System.Net.IPAddress.Parse("10.10.10.10"), false, false) { RepoDirectory = Repo() }, CancellationToken.None);

        var chpasswd = Assert.Single(machine.Scripted.Runs, r => r.Tool == "chpasswd");
        var password = chpasswd.StandardInput!["dba:".Length..^1];
        Assert.Matches("^[A-Za-z0-9]{16}$", password);
        Assert.Contains("chage --lastday 0 dba", machine.Scripted.Calls);
        var banner = await File.ReadAllTextAsync(Path.Join(_temp.File("root"), AdminPassword.IssuePath));
        Assert.Equal($"One-time password for dba: {password}\nLog in as dba on this console; the password must be changed at once. "
            + "Then add an SSH key to node_admin_pk_list.\n\n", banner);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Join(_temp.File("root"), AdminPassword.IssuePath)));
        Assert.Contains(password, console, StringComparison.Ordinal);

        // Nowhere else: not in status.json (which the portal serves), not in the console log lines, not in any command line logged.
        var status = await File.ReadAllTextAsync(Path.Join(_temp.File("root"), NodeLayout.StatusFile));
        Assert.Contains("\"state\": \"done\"", status, StringComparison.Ordinal);
        Assert.Contains("node.admin-password", status, StringComparison.Ordinal);
        Assert.DoesNotContain(password, status, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(machine.Scripted.Calls, c => c.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, await File.ReadAllTextAsync(Path.Join(_temp.File("root"), NodeLayout.Issue)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_password_is_set_once_and_its_banner_goes_when_the_admin_has_changed_it()
    {
        var machine = new FakeMachine(_temp.File("root"));
        var context = new StepContext(TestNode.Create(_temp.File("root")), machine, NullLogger.Instance);
        var steps = new NodeModule(InstallModules.Descriptors).Plan(context.Node).Steps.Where(s => s.Id is "node.admin" or "node.admin-password").ToList();
        await StepRunner.RunAsync(steps, context);
        var banner = Path.Join(_temp.File("root"), AdminPassword.IssuePath);

        // A second run keeps the one-time password (and its banner) while it waits for the first login.
        Assert.Empty(await StepRunner.RunAsync(steps, context));
        Assert.True(File.Exists(banner));
        Assert.Single(machine.Scripted.Runs, r => r.Tool == "chpasswd");

        // The first login changed it (passwd shows today's date): the banner's password is no longer true, so it goes; nothing else changes.
        var chpasswd = machine.Scripted.Runs.Single(r => r.Tool == "chpasswd");
        await machine.Scripted.RunAsync(chpasswd with { StandardInput = "dba:chosen-by-the-admin\n" }, CancellationToken.None);
        Assert.Equal(["node.admin-password"], await StepRunner.RunAsync(steps, context));
        Assert.False(File.Exists(banner));
        Assert.Equal(2, machine.Scripted.Runs.Count(r => r.Tool == "chpasswd"));
        Assert.Empty(await StepRunner.RunAsync(steps, context));
    }

    private string Repo() => BundleRepo.Write(_temp);

    /// <summary>NODE's admin steps alone: the rest of NODE needs far more of a machine than this test is about.</summary>
    private sealed class AdminOnly : IModule
    {
        public string Name => "NODE";

        public ModulePlan Plan(Installer.Node.NodeContext node) =>
            ModulePlan.Run(Name, new NodeModule(InstallModules.Descriptors).Plan(node).Steps.Where(s => s.Id is "node.admin" or "node.admin-password").ToList());
    }
}
