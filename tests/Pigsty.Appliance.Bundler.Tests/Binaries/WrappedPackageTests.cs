using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Binaries;

/// <summary>The .deb we write, judged by dpkg-deb and stock apt: a service component 'hello-svc' wrapped from a local script.</summary>
public sealed class WrappedPackageTests : IDisposable
{
    private const string Service = """
        file: hello-svc
        description: Hello test service
        homepage: https://example.invalid/hello
        depends: [libc6]
        service:
          args: --listen :8080 $HELLO_OPTS
          environment_file: -/etc/default/hello-svc
          user: hello
        """;

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public WrappedPackageTests() => File.WriteAllBytes(_temp.File("hello-svc"), Assets.Script);

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Dpkg_deb_reads_control_fields_and_lists_root_owned_files()
    {
        var (record, deb) = await Wrap(Service, "cache");

        var info = await Dpkg("--info", deb);
        var contents = await Dpkg("--contents", deb);
        var entries = await DebContents.EntriesAsync(deb);
        var field = await Dpkg("--field", deb, "Package", "Version", "Architecture", "Maintainer", "Depends", "Installed-Size", "Homepage");

        Assert.Contains(" new Debian package, version 2.0.", info, StringComparison.Ordinal);
        Assert.Contains(" postinst", info, StringComparison.Ordinal);
        Assert.Contains(" postrm", info, StringComparison.Ordinal);
        Assert.Equal("""
            Package: hello-svc
            Version: 1.0
            Architecture: amd64
            Maintainer: Pigsty Appliance <bundler@pigsty.invalid>
            Depends: libc6, passwd
            Installed-Size: 7
            Homepage: https://example.invalid/hello

            """, field);
        Assert.Equal(
            [
                "drwxr-xr-x root/root ./", "drwxr-xr-x root/root ./lib/", "drwxr-xr-x root/root ./lib/systemd/",
                "drwxr-xr-x root/root ./lib/systemd/system/", "-rw-r--r-- root/root ./lib/systemd/system/hello-svc.service",
                "drwxr-xr-x root/root ./usr/", "drwxr-xr-x root/root ./usr/bin/", "-rwxr-xr-x root/root ./usr/bin/hello-svc",
            ],
            entries);
        Assert.Contains("2020-01-01 00:00 ./usr/bin/hello-svc", contents, StringComparison.Ordinal);
        Assert.Equal("hello-svc_1.0_amd64.deb", record.DebFileName);
    }

    [Fact]
    public async Task Extracted_files_are_the_binary_the_unit_and_scripts_that_never_start_the_service()
    {
        var (_, deb) = await Wrap(Service, "cache");
        var root = _temp.File("root");
        var control = _temp.File("control");

        await Dpkg("--extract", deb, root);
        await Dpkg("--control", deb, control);

        Assert.Equal(Assets.Script, await File.ReadAllBytesAsync(Path.Combine(root, "usr/bin/hello-svc")));
        Assert.Equal("""
            [Unit]
            Description=hello-svc
            Documentation=https://example.invalid/hello
            Wants=network-online.target
            After=network-online.target

            [Service]
            Type=simple
            User=hello
            Group=hello
            EnvironmentFile=-/etc/default/hello-svc
            ExecStart=/usr/bin/hello-svc --listen :8080 $HELLO_OPTS
            Restart=on-failure
            RestartSec=5
            LimitNOFILE=65536

            [Install]
            WantedBy=multi-user.target

            """, await File.ReadAllTextAsync(Path.Combine(root, "lib/systemd/system/hello-svc.service")));
        var postinst = await File.ReadAllTextAsync(Path.Combine(control, "postinst"));
        Assert.Contains("! getent passwd hello >/dev/null; then\n    useradd --system --user-group --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin hello",
            postinst, StringComparison.Ordinal);
        Assert.Contains("if [ -d /run/systemd/system ]; then\n    systemctl daemon-reload", postinst, StringComparison.Ordinal);
        Assert.Contains("userdel hello", await File.ReadAllTextAsync(Path.Combine(control, "postrm")), StringComparison.Ordinal);
        foreach (var script in new[] { "postinst", "postrm" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(control, script));
            Assert.DoesNotContain("enable", text, StringComparison.Ordinal);
            Assert.DoesNotContain("start", text, StringComparison.Ordinal);
            await ProcessRunner.Silent.RunAsync(RealTool.Spec("sh", "-n", Path.Combine(control, script)), CancellationToken.None);
        }

        Assert.Equal($"{Md5(Assets.Script)}  usr/bin/hello-svc", (await File.ReadAllLinesAsync(Path.Combine(control, "md5sums"))).Last());
    }

    [Fact]
    public async Task Same_input_gives_the_same_deb_bytes()
    {
        var (first, _) = await Wrap(Service, "cache-1");
        var (second, _) = await Wrap(Service, "cache-2");
        var (other, _) = await Wrap(Service.Replace(":8080", ":8081", StringComparison.Ordinal), "cache-3");

        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(first.Size, second.Size);
        Assert.NotEqual(first.Sha256, other.Sha256);
    }

    [Fact]
    public async Task Stock_apt_installs_it_from_our_repo_with_its_depends_resolved()
    {
        var (record, deb) = await Wrap(Service, "cache");
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        File.Copy(deb, Path.Combine(repo, record.DebFileName));
        var records = new List<PackageRecord> { record };
        foreach (var spec in new[] { new DebSpec("passwd", "1:4.13+dfsg1-1"), new DebSpec("libc6", "2.36-9") })
        {
            var built = await DebBuilder.BuildAsync(_temp.File("pool"), spec, CancellationToken.None);
            File.Copy(Path.Combine(_temp.File("pool"), built.Filename), Path.Combine(repo, built.DebFileName));
            records.Add(built);
        }

        await new FlatRepoWriter(ProcessRunner.Silent, NullLogger<FlatRepoWriter>.Instance)
            .WriteAsync(repo, records, new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("apt"), [$"deb [trusted=yes] file:{repo}/ ./"]);
        var update = await apt.UpdateAsync(CancellationToken.None);
        var install = await apt.SimulateInstallAsync(["hello-svc"], CancellationToken.None);

        Assert.True(update.Succeeded, update.StandardError);
        Assert.True(install.Succeeded, install.StandardOutput + install.StandardError);
        Assert.Equal(["hello-svc", "libc6", "passwd"], CleanAptRoot.Installs(install.StandardOutput).Keys.Order());
        var stanza = ControlStanza.ParseAll(new StringReader(await File.ReadAllTextAsync(Path.Combine(repo, RepoLayout.Packages))))
            .Single(s => s["Package"] == "hello-svc");
        Assert.Equal((record.Size.ToString(System.Globalization.CultureInfo.InvariantCulture), record.Sha256, Md5(await File.ReadAllBytesAsync(deb)), "7", "./hello-svc_1.0_amd64.deb"),
            (stanza["Size"], stanza["SHA256"], stanza["MD5sum"], stanza["Installed-Size"], stanza["Filename"]));
    }

    [Fact]
    public async Task Without_its_depends_in_the_repo_apt_refuses_it()
    {
        var (record, deb) = await Wrap(Service, "cache");
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        File.Copy(deb, Path.Combine(repo, record.DebFileName));
        await new FlatRepoWriter(ProcessRunner.Silent, NullLogger<FlatRepoWriter>.Instance)
            .WriteAsync(repo, [record], new RepoOptions { Date = SampleRepo.Time }, CancellationToken.None);
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("apt"), [$"deb [trusted=yes] file:{repo}/ ./"]);
        await apt.UpdateAsync(CancellationToken.None);

        var install = await apt.SimulateInstallAsync(["hello-svc"], CancellationToken.None);

        Assert.False(install.Succeeded);
        Assert.Contains("Depends: libc6 but it is not installable", install.StandardOutput, StringComparison.Ordinal);
    }

    private static string Md5(byte[] data) => Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(data));

    private static async Task<string> Dpkg(params string[] arguments) =>
        (await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-deb", arguments), CancellationToken.None)).StandardOutput;

    private async Task<(PackageRecord Record, string Deb)> Wrap(string body, string cache)
    {
        var component = Assets.Component(body, _temp.File("tiny.yml"));
        var built = await new BinaryPackages(new Downloader(_http, NullLogger<Downloader>.Instance), new GitHubOptions(), NullLogger<BinaryPackages>.Instance)
            .BuildAsync([component], new BinaryBuildOptions { Architecture = "amd64", CacheDirectory = _temp.File(cache), LockPath = _temp.File("lock.json") },
                CancellationToken.None);
        var record = built.Records.Single();
        return (record, new PackageCache(_temp.File(cache)).PathFor(record.Sha256));
    }
}
