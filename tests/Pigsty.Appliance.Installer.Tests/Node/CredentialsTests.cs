using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Node;

public sealed class CredentialsTests
{
    [Fact]
    public async Task Seed_given_secrets_are_used_as_given()
    {
        using var root = new TempDirectory();
        var node = TestNode.Create(root.Path);

        Assert.Equal("given-in-seed", await node.Credentials.GetAsync("pg_admin_password", CancellationToken.None));
        Assert.False(File.Exists(Path.Join(root.Path, NodeLayout.CredentialsFile)));
    }

    [Fact]
    public async Task Missing_secrets_are_generated_once_and_kept_root_only()
    {
        using var root = new TempDirectory();
        var node = TestNode.Create(root.Path);

        var first = await node.Credentials.GetAsync("pg_replication_password", CancellationToken.None);
        var again = await TestNode.Create(root.Path).Credentials.GetAsync("pg_replication_password", CancellationToken.None);
        var other = await node.Credentials.GetAsync("patroni_password", CancellationToken.None);

        Assert.Equal(24, first.Length);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        var path = Path.Join(root.Path, NodeLayout.CredentialsFile);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Contains($"pg_replication_password: '{first}'", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Generated_passwords_differ_and_avoid_look_alikes()
    {
        var passwords = Enumerable.Range(0, 50).Select(_ => Credentials.Generate(24)).ToList();

        Assert.Equal(50, passwords.Distinct().Count());
        Assert.DoesNotContain(passwords, p => p.IndexOfAny(['0', 'O', '1', 'l', 'I']) >= 0);
    }
}
