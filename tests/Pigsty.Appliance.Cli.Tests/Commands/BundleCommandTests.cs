using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>
/// <c>pigsty-appliance bundle</c> end to end on a small real recipe (pgbouncer from the host's mirror) plus a binary component
/// wrapped from a local file: the bundle verifies and stock apt installs both; a failing or tampered binary source stops the
/// build naming the component and leaves the previous bundle and the lock as they were. An unchanged rebuild reuses the passed
/// proof; --prove repeats it.
/// </summary>
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed class BundleCommandTests : IDisposable
{
    private const string Recipe = """
        name: e2e-hello
        os: d12
        arch: amd64
        include_required: false
        upstreams:
          debian:
            url: host
            suites: [bookworm]
            components: [main]
            keyring: /usr/share/keyrings/debian-archive-keyring.gpg
        groups:
          pgsql-common:
            packages: [pgbouncer]
        binaries:
          hello-svc:
            version: "1.0"
            file: hello-svc
            depends: [libc6]
            description: Test service wrapped from a shell script
            service:
              args: --port 8080
              user: hello
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bundles_apt_packages_and_a_wrapped_binary_and_keeps_the_last_bundle_when_a_source_fails()
    {
        _temp.Write("recipes/e2e-hello.yml", Recipe);
        _temp.Write("recipes/hello-svc", "#!/bin/sh\necho hello \"$@\"\n");

        var first = await Bundle();

        Assert.True(first.ExitCode == 0, first.Out + first.Error);
        Assert.Contains("proof: stock apt installs every requested package from the repo alone", first.Out, StringComparison.Ordinal);
        var bundle = _temp.File("dist/pigsty-pkg-" + ProductVersion.Value + ".d12.x86_64.tgz");
        var verify = await CliRun.Of("verify", bundle);
        Assert.True(verify.ExitCode == 0, verify.Error);
        var packages = await File.ReadAllTextAsync(_temp.File("work/e2e-hello/pigsty/Packages"));
        Assert.Contains("Package: hello-svc\n", packages, StringComparison.Ordinal);
        Assert.Contains("Package: pgbouncer\n", packages, StringComparison.Ordinal);
        var lockPath = _temp.File("locks/e2e-hello.x86_64.lock.json");
        var lockText = await File.ReadAllTextAsync(lockPath);
        Assert.Contains(await Checksums.Sha256FileAsync(_temp.File("recipes/hello-svc"), CancellationToken.None), lockText, StringComparison.Ordinal);

        // Nothing changed: the recorded proof stands (read here from the --json summary); --prove runs the proofs again all the same.
        var unchanged = await Bundle("--json");
        Assert.True(unchanged.ExitCode == 0, unchanged.Out + unchanged.Error);
        using (var json = System.Text.Json.JsonDocument.Parse(unchanged.Out))
        {
            var root = json.RootElement;
            Assert.Equal(bundle, root.GetProperty("bundle").GetString());
            Assert.Equal(await Checksums.Sha256FileAsync(bundle, CancellationToken.None), root.GetProperty("sha256").GetString());
            Assert.Equal("reused", root.GetProperty("proof").GetProperty("state").GetString());
            Assert.False(root.GetProperty("lock").GetProperty("written").GetBoolean());
            Assert.True(root.GetProperty("packages").GetInt32() >= 2);
            Assert.NotEmpty(root.GetProperty("timings").EnumerateArray());
        }
        var forced = await Bundle("--prove");
        Assert.True(forced.ExitCode == 0, forced.Out + forced.Error);
        Assert.Contains("proof: stock apt installs every requested package from the repo alone", forced.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("already passed", forced.Out, StringComparison.Ordinal);
        var bundleSha = await Checksums.Sha256FileAsync(bundle, CancellationToken.None);

        var missing = await Bundle("--binary", "hello-svc=" + _temp.File("nowhere/hello-svc"));

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("hello-svc", missing.Error, StringComparison.Ordinal);
        Assert.Contains(_temp.File("nowhere/hello-svc"), missing.Error, StringComparison.Ordinal);

        await File.WriteAllTextAsync(_temp.File("recipes/hello-svc"), "#!/bin/sh\necho tampered\n");
        var tampered = await Bundle("--locked");

        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("hello-svc", tampered.Error, StringComparison.Ordinal);
        Assert.Contains("pins", tampered.Error, StringComparison.Ordinal);
        Assert.Equal(bundleSha, await Checksums.Sha256FileAsync(bundle, CancellationToken.None));
        Assert.Equal(lockText, await File.ReadAllTextAsync(lockPath));
        Assert.True((await CliRun.Of("verify", bundle)).ExitCode == 0);
    }

    [Fact]
    public async Task A_build_that_fails_to_pack_writes_no_lock()
    {
        // The lock was written right after resolving: a build that never produced a bundle still pinned its packages.
        _temp.Write("recipes/e2e-hello.yml", Recipe);
        _temp.Write("recipes/hello-svc", "#!/bin/sh\necho hello \"$@\"\n");
        _temp.Write("dist", "a file where the output directory should be\n");

        var run = await Bundle("--no-prove");

        Assert.NotEqual(0, run.ExitCode);
        Assert.False(File.Exists(_temp.File("locks/e2e-hello.x86_64.lock.json")), run.Out + run.Error);
    }

    private Task<CliRun> Bundle(params string[] extra) => CliRun.Of(
    [
        "bundle", "--recipe", _temp.File("recipes/e2e-hello.yml"), "--output", _temp.File("dist"), "--work", _temp.File("work"),
        "--lock-dir", _temp.File("locks"), "--cache", _temp.File("cache"), .. extra,
    ]);
}
