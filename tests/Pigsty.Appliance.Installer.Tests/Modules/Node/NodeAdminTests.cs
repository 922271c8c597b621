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
