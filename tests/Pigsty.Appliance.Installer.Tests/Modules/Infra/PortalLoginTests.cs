using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>Who may log in to the portal, and nginx's password file for them.</summary>
public sealed class PortalLoginTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Without_nginx_users_the_portal_has_admin_with_a_generated_password()
    {
        Assert.Equal([new PortalUser("admin", null)], InfraSettings.From(TestNode.Create(_root.Path)).PortalUsers);
        Assert.Equal([new PortalUser("admin", null)], InfraSettings.From(TestNode.Create(_root.Path, WithUsers("{}"))).PortalUsers);
    }

    [Fact]
    public void Nginx_users_gives_the_logins_as_pigsty_does()
    {
        var users = InfraSettings.From(TestNode.Create(_root.Path, WithUsers("{ admin: 'Adm1n.pass', viewer: 'v13w:er' }"))).PortalUsers;

        Assert.Equal([new PortalUser("admin", "Adm1n.pass"), new PortalUser("viewer", "v13w:er")], users);
    }

    [Theory]
    [InlineData("{ 'ad:min': x }", "nginx_users.ad:min: user name 'ad:min' must be letters, digits")]
    [InlineData("{ admin: '' }", "nginx_users.admin: the password of portal user 'admin' must be non-empty and on one line")]
    [InlineData("[ admin ]", "nginx_users: expected a mapping, got a list")]
    public void A_bad_user_is_an_input_error_naming_the_field(string users, string message)
    {
        var error = Assert.Throws<InputException>(() => InfraSettings.From(TestNode.Create(_root.Path, WithUsers(users))));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_password_file_keeps_a_line_whose_hash_still_matches_and_rehashes_a_changed_password()
    {
        var first = PortalPasswords.Render([("admin", "one"), ("viewer", "two")], null);
        var lines = first.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();

        Assert.Equal(2, lines.Count);
        Assert.True(ShaCrypt.Verify("one", lines[0]["admin:".Length..]));
        Assert.True(ShaCrypt.Verify("two", lines[1]["viewer:".Length..]));
        Assert.Equal(first, PortalPasswords.Render([("admin", "one"), ("viewer", "two")], first));

        var changed = PortalPasswords.Render([("admin", "one"), ("viewer", "three")], first);
        Assert.Contains(lines[0] + "\n", changed, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[1], changed, StringComparison.Ordinal);
        Assert.DoesNotContain("three", changed, StringComparison.Ordinal);
    }

    private static string WithUsers(string users) => TestNode.SingleNode.Replace("admin_ip: 10.10.10.10",
        $"admin_ip: 10.10.10.10\n    nginx_users: {users}", StringComparison.Ordinal);
}
