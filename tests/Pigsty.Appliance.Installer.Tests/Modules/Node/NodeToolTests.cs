using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Modules.Node;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Node;

/// <summary>NODE's rendered files checked by the programs that read them (installed on the build host; nothing is started).</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class NodeToolTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private NodeSettings Settings(string? address = null) =>
        NodeSettings.From(TestNode.Create(_temp.File("root"), address is null ? TestNode.SingleNode : TestNode.TwoNodes, address: address));

    [Fact]
    public async Task Haproxy_accepts_the_config_with_a_service_file_in_conf_d_and_ignores_other_files()
    {
        var config = _temp.Write("haproxy.cfg", HaproxyConfig.Render(Settings(), "Hx7rK2mPq9"));
        _temp.Write("conf.d/README", "this is not haproxy syntax\n");
        _temp.Write("conf.d/pg-meta.cfg", "listen pg-meta-primary\n    bind *:5433\n    server pg-meta-1 10.10.10.10:6432 check port 8008\n");

        var result = await RealTool.CheckAsync("haproxy", "-c", "-f", config, "-f", _temp.File("conf.d"));

        Assert.Contains("Configuration file is valid", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Haproxy_run_as_root_reads_its_0640_root_haproxy_config_that_other_users_cannot_read()
    {
        var config = _temp.Write("haproxy.cfg", HaproxyConfig.Render(Settings(), "Hx7rK2mPq9"));
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(config, HaproxyConfig.Spec.Mode);
        await RealTool.CheckAsync("chown", $"{HaproxyConfig.Spec.Owner}:{HaproxyConfig.Spec.Group}", config);

        var asRoot = await RealTool.RunAsync("haproxy", "-c", "-f", config);
        var asOther = await RealTool.RunAsync("runuser", "-u", "nobody", "--", "cat", config);

        Assert.True(asRoot.Succeeded, asRoot.StandardError);
        Assert.Contains("Permission denied", asOther.StandardError, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, HaproxyConfig.Spec.Mode);
        Assert.Equal(("root", "haproxy"), (HaproxyConfig.Spec.Owner, HaproxyConfig.Spec.Group));

        // Our unit starts haproxy as root (no User=): the master reads the file, then drops to haproxy (global user/group).
        Assert.DoesNotContain("\nUser=", NodeUnits.Haproxy().Render(), StringComparison.Ordinal);
        Assert.Contains("    user        haproxy\n", File.ReadAllText(config), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chronyd_parses_the_client_config_with_the_infra_server_role_in_its_confdir()
    {
        var client = ChronyClientConfig.Render(Settings("10.10.10.11").NtpSources)
            .Replace($"confdir {ChronyClientConfig.ConfDir}", $"confdir {_temp.File("conf.d")}", StringComparison.Ordinal);
        var path = _temp.Write("chrony.conf", client);
        _temp.Write("conf.d/pigsty-server.conf", ChronyServerConfig.Render(["10.0.0.0/8"]));

        var result = await RealTool.CheckAsync("chronyd", "-p", "-f", path);

        Assert.Contains("server 10.10.10.10 iburst\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("local stratum 10\n", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Systemd_accepts_the_units() =>
        await UnitCheck.VerifyAsync(_temp, NodeUnits.Chrony(), NodeUnits.Haproxy(), NodeUnits.NodeExporter(9100));

    [Fact]
    public async Task Apt_reads_the_repo_line_for_a_file_and_an_http_repository()
    {
        const string packages = "Package: pigsty-probe\nVersion: 1.0\nArchitecture: all\nFilename: ./pigsty-probe_1.0_all.deb\nSize: 1\nDescription: probe\n";
        _temp.Write("repo/Packages", packages);
        using var server = new LoopbackHttpServer();
        server.MapBytes("/pigsty/Packages", System.Text.Encoding.UTF8.GetBytes(packages));

        foreach (var (name, uri) in new[] { ("file", $"file:{_temp.File("repo")}"), ("http", $"{server.BaseUri}pigsty") })
        {
            var list = _temp.Write($"{name}/pigsty.list", AptSourceFile.Render(uri, null));
            var state = _temp.File(name);
            Directory.CreateDirectory(Path.Combine(state, "lists", "partial"));
            Directory.CreateDirectory(Path.Combine(state, "cache", "archives", "partial"));
            string[] options =
            [
                "-o", $"Dir::Etc::SourceList={list}", "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", $"Dir::State::Lists={state}/lists", "-o", $"Dir::Cache={state}/cache", "-o", "Debug::NoLocking=1",
            ];

            await RealTool.CheckAsync("apt-get", ["update", "--error-on=any", .. options]);
            var policy = await RealTool.CheckAsync("apt-cache", ["policy", "pigsty-probe", .. options]);

            Assert.Contains("Candidate: 1.0", policy.StandardOutput, StringComparison.Ordinal);
        }
    }
}
