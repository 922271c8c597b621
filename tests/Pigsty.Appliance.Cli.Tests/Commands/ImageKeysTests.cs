using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary><c>image --authorized-key FILE</c>: the key lines of a real ssh-keygen .pub file; anything else names the file and line.</summary>
public sealed class ImageKeysTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_public_key_file_from_ssh_keygen_gives_its_line()
    {
        var key = _temp.File("id_ed25519");
        await RealTool.CheckAsync("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "operator@site", "-f", key);

        var keys = await ImageCommand.ReadKeysAsync([key + ".pub"], CancellationToken.None);

        Assert.Equal([(await File.ReadAllTextAsync(key + ".pub")).Trim()], keys);
    }

    [Fact]
    public async Task Blank_and_comment_lines_are_skipped_and_a_private_key_is_refused_naming_its_line()
    {
        var file = _temp.Write("keys", "# the operators\n\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBpZ3N0eSB0ZXN0IGtleSwgbm90IGZvciBsb2dpbiEh a\n-----BEGIN OPENSSH PRIVATE KEY-----\n");

        var error = await Assert.ThrowsAsync<InputException>(() => ImageCommand.ReadKeysAsync([file], CancellationToken.None));

        Assert.StartsWith($"{file}:4:1: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("this is a private key: give the public one (the .pub file)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error() =>
        Assert.Equal($"--authorized-key {_temp.File("nope.pub")}: no such file",
            (await Assert.ThrowsAsync<UsageException>(() => ImageCommand.ReadKeysAsync([_temp.File("nope.pub")], CancellationToken.None))).Message);
}
