using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Repo;

/// <summary>Signing with real gpg; checked with gpgv against the exported key only, as apt's signed-by does.</summary>
public sealed class RepoSigningTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Generated_key_signs_InRelease_and_Release_gpg_and_is_exported()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);

        var index = await Write(repo, RepoSigning.Generated());

        Assert.Matches("^[0-9A-F]{40}$", index.SigningFingerprint);
        Assert.Equal(["Packages", "Packages.gz", "Release", "InRelease", "Release.gpg", "pigsty.gpg"], index.Files.Select(f => f.Name));
        await Gpgv(repo, "InRelease");
        await Gpgv(repo, "Release.gpg", "Release");
        Assert.Contains("Hash: SHA512", await File.ReadAllTextAsync(Path.Combine(repo, "InRelease")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_saved_generated_key_signs_the_next_build_with_the_same_fingerprint()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);
        var saved = _temp.File("keys/repo-signing.asc");

        var first = await Write(repo, RepoSigning.Generated() with { SaveGeneratedKeyTo = saved });
        var second = await Write(repo, RepoSigning.WithKey(saved));

        Assert.Equal(first.SigningFingerprint, second.SigningFingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(saved));
        await Gpgv(repo, "InRelease");
    }

    [Fact]
    public async Task The_hosts_own_key_is_made_on_the_first_build_in_a_private_directory_and_reused_after()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);
        var key = RepoSigning.DefaultKeyFile(name => name == "XDG_CONFIG_HOME" ? _temp.File("config") : null);

        var first = await Write(repo, RepoSigning.Persistent(key));
        var second = await Write(repo, RepoSigning.Persistent(key));

        Assert.Equal(_temp.File("config/pigsty-appliance/repo-signing-key.asc"), key);
        Assert.Equal(first.SigningFingerprint, second.SigningFingerprint);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(key)!));
        Assert.Equal(Path.Combine("/home/builder", ".config", "pigsty-appliance", "repo-signing-key.asc"),
            RepoSigning.DefaultKeyFile(name => name == "HOME" ? "/home/builder" : null));
    }

    [Fact]
    [Trait(Traits.Category, Traits.Slow)] // gpg-agent waits ~3 s after a wrong passphrase.
    public async Task A_passphrase_protected_key_signs_and_a_wrong_passphrase_fails_without_showing_it()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);
        var (key, fingerprint) = await ProtectedKeyAsync("correct horse");

        var signed = await Write(repo, RepoSigning.WithKey(key, "correct horse"));
        var inRelease = await Gpgv(repo, "InRelease");
        var detached = await Gpgv(repo, "Release.gpg", "Release");
        var error = await Assert.ThrowsAsync<ToolException>(() => Write(repo, RepoSigning.WithKey(key, "wrong battery")));

        Assert.Equal(fingerprint, signed.SigningFingerprint);
        Assert.All(new[] { inRelease, detached }, v => Assert.Contains($"using EDDSA key {fingerprint}", v.StandardError, StringComparison.Ordinal));
        Assert.DoesNotContain("wrong battery", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(repo, "InRelease")));
    }

    [Fact]
    public async Task A_missing_key_file_is_an_input_error_naming_it()
    {
        var repo = _temp.File("pigsty");
        debs.CopyInto(repo);

        var error = await Assert.ThrowsAsync<InputException>(() => Write(repo, RepoSigning.WithKey("/nonexistent/key.asc")));

        Assert.Equal("/nonexistent/key.asc: the repo signing key file does not exist", error.Message);
    }

    private Task<RepoIndex> Write(string repo, RepoSigning signing) =>
        SampleRepo.Writer().WriteAsync(repo, debs.Packages, new RepoOptions { Date = SampleRepo.Time, Signing = signing }, CancellationToken.None);

    private static Task<ProcessResult> Gpgv(string repo, params string[] files) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec("gpgv", ["--keyring", Path.Combine(repo, "pigsty.gpg"), .. files.Select(f => Path.Combine(repo, f))]),
            CancellationToken.None);

    /// <summary>A passphrase-protected signing key exported to a file, and its fingerprint.</summary>
    private async Task<(string Key, string Fingerprint)> ProtectedKeyAsync(string passphrase)
    {
        var home = Directory.CreateDirectory(_temp.File("gnupg")).FullName;
        var key = _temp.File("protected.asc");
        var environment = new Dictionary<string, string?> { ["GNUPGHOME"] = home };
        string[] batch = ["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase];
        try
        {
            await ProcessRunner.Silent.RunAsync(RealTool.Spec("gpg", [.. batch, "--quick-generate-key", "Test <t@pigsty.invalid>", "ed25519", "sign", "never"])
                with { Environment = environment }, CancellationToken.None);
            await ProcessRunner.Silent.RunAsync(RealTool.Spec("gpg", [.. batch, "--armor", "--export-secret-keys", "--output", key])
                with { Environment = environment }, CancellationToken.None);
            var listing = await ProcessRunner.Silent.RunAsync(RealTool.Spec("gpg", "--batch", "--with-colons", "--list-secret-keys")
                with { Environment = environment }, CancellationToken.None);
            var fingerprint = listing.StandardOutput.Split('\n').First(l => l.StartsWith("fpr:", StringComparison.Ordinal)).Split(':')[9];
            return (key, fingerprint);
        }
        finally
        {
            await ProcessRunner.Silent.RunAsync(RealTool.Spec("gpgconf", ["--kill", "all"]) with { Environment = environment, ThrowOnNonZeroExit = false },
                CancellationToken.None);
        }
    }
}
