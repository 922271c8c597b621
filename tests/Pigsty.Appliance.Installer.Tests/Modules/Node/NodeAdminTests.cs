using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

public sealed class NodeAdminTests
{
    private static readonly NodeAdmin Admin = new("dba", 88, ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc test@host ", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIXyz other"]);

    [Fact]
    public void Keys_are_one_per_line_and_sudo_is_passwordless()
    {
        Assert.Equal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAbc test@host\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIXyz other\n", Admin.AuthorizedKeys);
        Assert.Equal("dba ALL=(ALL) NOPASSWD: ALL\n", Admin.SudoersLine);
        Assert.Equal("/etc/sudoers.d/dba", Admin.SudoersPath);
    }

    [Fact]
    public async Task Visudo_accepts_the_sudoers_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("dba", Admin.SudoersLine);

        var check = await RealTool.RunAsync("visudo", "--check", "--file", path);

        Assert.True(check.Succeeded, check.StandardOutput + check.StandardError);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Visudo_checks_the_sudoers_file_under_a_name_sudo_skips_before_it_replaces_the_real_one(bool accepted)
    {
        using var root = new TempDirectory();
        var machine = new FakeMachine(root.Path);
        var checkedFiles = new List<(string Path, string Content, bool RealExists)>();
        machine.Scripted.On(spec => spec.FileName == "visudo", spec =>
        {
            var file = Path.Join(root.Path, spec.Arguments[^1]);
            checkedFiles.Add((spec.Arguments[^1], File.ReadAllText(file), File.Exists(Path.Join(root.Path, Admin.SudoersPath))));
            return new ProcessResult(accepted ? 0 : 1, "", accepted ? "" : $"{spec.Arguments[^1]}:1:4: syntax error\n", TimeSpan.Zero);
        });
        var context = new StepContext(TestNode.Create(root.Path), machine, NullLogger.Instance);
        var step = NodeSteps.Admin(Admin);

        var apply = step.Apply(context, CancellationToken.None);

        if (accepted)
        {
            await apply;
            Assert.Equal("dba ALL=(ALL) NOPASSWD: ALL\n", await File.ReadAllTextAsync(Path.Join(root.Path, Admin.SudoersPath)));
        }
        else
        {
            var error = await Assert.ThrowsAsync<InstallException>(() => apply);
            Assert.Equal("node.admin", error.Step);
            Assert.Contains("visudo refuses the new /etc/sudoers.d/dba, so it was left as it was: /etc/sudoers.d/.dba.pigsty-check:1:4: syntax error", error.Reason, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Join(root.Path, Admin.SudoersPath)));
        }

        // Checked first, under a name with a dot (sudo skips those), before the real file existed; the candidate never stays.
        Assert.Equal(("/etc/sudoers.d/.dba.pigsty-check", Admin.SudoersLine, false), checkedFiles[0]);
        Assert.False(File.Exists(Path.Join(root.Path, Admin.SudoersCandidatePath)));
    }

    [Fact]
    public void The_admin_user_comes_from_pigstys_parameters()
    {
        using var root = new TempDirectory();
        var node = TestNode.Create(root.Path, TestNode.SingleNode.Replace("pg_admin_password: given-in-seed",
            "pg_admin_password: given-in-seed\n    node_admin_username: ops\n    node_admin_uid: 1500\n    node_admin_pk_list: ['ssh-ed25519 AAAA k']", StringComparison.Ordinal));

        var admin = NodeSettings.From(node).Admin!;

        Assert.Equal(new NodeAdmin("ops", 1500, admin.PublicKeys), admin);
        Assert.Equal(["ssh-ed25519 AAAA k"], admin.PublicKeys);
    }
}
