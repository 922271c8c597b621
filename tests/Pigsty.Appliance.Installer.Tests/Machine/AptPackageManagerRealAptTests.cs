using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

/// <summary>
/// AptPackageManager against real apt-get and dpkg-query in a clean apt root whose only source is a flat repo of real .debs (as
/// the bundle's proof does): what it reads from dpkg and what it says when apt fails, and that FakePackages says the same.
/// </summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class AptPackageManagerRealAptTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly AptPackageManager _apt;

    public AptPackageManagerRealAptTests()
    {
        _root = _temp.File("root");
        foreach (var directory in new[] { "etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "etc/apt/trusted.gpg.d",
                     "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/log/apt", "usr/sbin" })
        {
            Directory.CreateDirectory(Path.Combine(_root, directory));
        }

        File.WriteAllText(Path.Combine(_root, "var/lib/dpkg/status"), "");
        File.WriteAllText(Path.Combine(_root, "etc/apt/sources.list"), $"deb [trusted=yes] file:{_temp.File("repo")} ./\n");
        _apt = new AptPackageManager(new AptRoot(_root), new LocalFileSystem(ProcessRunner.Silent, _root));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Installs_from_the_local_repository_and_reads_back_what_dpkg_installed()
    {
        await RepositoryAsync();
        await _apt.RefreshAsync(CancellationToken.None);

        Assert.Equal(["hello", "nope"], await _apt.MissingAsync(["hello", "nope"], CancellationToken.None));
        await _apt.InstallAsync(["hello"], null, CancellationToken.None);

        Assert.Equal(["nope"], await _apt.MissingAsync(["hello", "nope"], CancellationToken.None));
        Assert.Contains("hello", await _apt.InstalledAsync(CancellationToken.None));
        Assert.Equal("hello\n", await File.ReadAllTextAsync(Path.Combine(_root, "usr/share/doc/hello/README")));
        Assert.False(File.Exists(Path.Combine(_root, "usr/sbin/policy-rc.d")));
    }

    [Fact]
    public async Task A_package_removed_but_with_its_config_files_left_is_missing()
    {
        await RepositoryAsync();
        await _apt.RefreshAsync(CancellationToken.None);
        await _apt.InstallAsync(["hello"], null, CancellationToken.None);

        await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg", $"--root={_root}", $"--admindir={_root}/var/lib/dpkg", "--remove", "hello"), CancellationToken.None);

        var status = await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-query", $"--admindir={_root}/var/lib/dpkg", "-W", "-f=${db:Status-Status}", "hello"), CancellationToken.None);
        Assert.Equal("config-files", status.StandardOutput);
        Assert.Equal(["hello"], await _apt.MissingAsync(["hello"], CancellationToken.None));
        Assert.DoesNotContain("hello", await _apt.InstalledAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Packages_the_repository_lacks_are_named_in_apt_words_and_the_fake_says_the_same()
    {
        await RepositoryAsync();
        await _apt.RefreshAsync(CancellationToken.None);
        string[] packages = ["hello", "grafana", "victoria-logs"];

        var real = await Assert.ThrowsAsync<ToolException>(() => _apt.InstallAsync(packages, null, CancellationToken.None));
        var fake = await Assert.ThrowsAsync<ToolException>(() => new FakePackages("hello").InstallAsync(packages, null, CancellationToken.None));

        Assert.Equal("apt-get install hello grafana victoria-logs failed: the local repository lacks: Unable to locate package grafana; "
            + "Unable to locate package victoria-logs", real.Message);
        Assert.Equal(real.Message, fake.Message);
        Assert.Equal(real.ToolExitCode, fake.ToolExitCode);
        Assert.Equal(["hello"], await _apt.MissingAsync(["hello"], CancellationToken.None));
    }

    [Fact]
    public async Task A_package_only_referred_to_and_a_dependency_the_repository_cannot_satisfy_are_named()
    {
        await RepositoryAsync();
        await _apt.RefreshAsync(CancellationToken.None);

        var referred = await Assert.ThrowsAsync<ToolException>(() => _apt.InstallAsync(["ghost"], null, CancellationToken.None));
        var unmet = await Assert.ThrowsAsync<ToolException>(() => _apt.InstallAsync(["needs-ghost"], null, CancellationToken.None));

        Assert.Equal("apt-get install ghost failed: the local repository lacks: Package 'ghost' has no installation candidate", referred.Message);
        Assert.Equal("apt-get install needs-ghost failed: the local repository cannot satisfy: needs-ghost : Depends: ghost but it is not installable",
            unmet.Message);
    }

    [Fact]
    public async Task Refresh_fails_on_an_index_apt_cannot_read()
    {
        await RepositoryAsync();
        await File.WriteAllTextAsync(_temp.File("repo/Packages"), "Package: hello\nthis is not a field\n");

        var error = await Assert.ThrowsAsync<ToolException>(() => _apt.RefreshAsync(CancellationToken.None));

        Assert.Equal("apt-get", error.Tool);
        Assert.NotEqual(0, error.ToolExitCode);
    }

    /// <summary>A flat repo: hello (with a conffile), needs-ghost (depends on a package nothing provides); indexed by dpkg-scanpackages.</summary>
    private async Task RepositoryAsync()
    {
        var repo = _temp.File("repo");
        await DebPackage.BuildAsync(Path.Combine(repo, "hello_1.0_amd64.deb"), Control("hello", ""), new Dictionary<string, byte[]>
        {
            ["usr/share/doc/hello/README"] = "hello\n"u8.ToArray(),
            ["etc/hello.conf"] = "greeting = hello\n"u8.ToArray(),
            ["DEBIAN/conffiles"] = "/etc/hello.conf\n"u8.ToArray(),
        }, CancellationToken.None);
        await DebPackage.BuildAsync(Path.Combine(repo, "needs-ghost_1.0_amd64.deb"), Control("needs-ghost", "Depends: ghost\n"),
            new Dictionary<string, byte[]> { ["usr/share/doc/needs-ghost/README"] = "needs a ghost\n"u8.ToArray() }, CancellationToken.None);
        var index = await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-scanpackages", ".") with { WorkingDirectory = repo }, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(repo, "Packages"), index.StandardOutput);
    }

    private static string Control(string name, string extra) =>
        $"Package: {name}\nVersion: 1.0\nArchitecture: amd64\nMaintainer: Pigsty Tests <tests@pigsty.invalid>\n{extra}Description: fixture package {name}\n";

    /// <summary>Runs the manager's apt-get and dpkg-query for real, pointed at the apt root (apt options as the bundle's CleanAptRoot uses, dpkg's --root).</summary>
    private sealed class AptRoot(string root) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            string[] rooted = spec.Tool switch
            {
                "apt-get" =>
                [
                    "-o", $"Dir={root}", "-o", $"Dir::State::status={root}/var/lib/dpkg/status", "-o", "APT::Architecture=amd64",
                    "-o", "Debug::NoLocking=1", "-o", "APT::Sandbox::User=root", "-o", "Acquire::Languages=none",
                    "-o", $"Dir::Etc::trusted={root}/etc/apt/trusted.gpg", "-o", $"Dir::Etc::trustedparts={root}/etc/apt/trusted.gpg.d",
                    "-o", $"DPkg::Options::=--root={root}", "-o", $"DPkg::Options::=--admindir={root}/var/lib/dpkg",
                    "-o", $"DPkg::Options::=--log={root}/var/log/dpkg.log",
                ],
                "dpkg-query" => [$"--admindir={root}/var/lib/dpkg"],
                _ => throw new InvalidOperationException($"the package manager ran {spec.Display()}, which this test does not expect"),
            };
            return ProcessRunner.Silent.RunAsync(spec with { FileName = RealTool.Require(spec.FileName), Arguments = [.. rooted, .. spec.Arguments] }, cancellationToken);
        }
    }
}
