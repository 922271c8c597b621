using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Etcd;
using Pigsty.Appliance.Installer.Modules.Etcd.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Tests.Modules.Etcd;

/// <summary>Debian's etcd 3.4 runs our rendered config with certificates from our CA, and our auth step converges it.</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class EtcdRealServerTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task Systemd_accepts_the_etcd_unit()
    {
        var node = ModuleNodes.Create(_root.Path, ModuleNodes.Sample("three-node-ha.yml"), "10.10.10.11");
        var (cluster, member) = node.Etcd!.Value;

        await UnitCheck.VerifyAsync(_root, EtcdRenderer.Unit(EtcdSettings.From(node.Vars, cluster, member)));
    }

    /// <summary>Debian 12's etcd 3.4 is the host's; Debian 13's etcd 3.5 (a static Go binary) is unpacked from trixie by build/target-tools.sh.</summary>
    [Theory]
    [InlineData("d12")]
    [InlineData("d13")]
    public async Task Rendered_member_starts_reports_health_and_auth_converges_once(string os)
    {
        var platform = Core.Contract.TargetPlatform.Find(os)!;
        var etcd = platform == Core.Contract.TargetPlatform.Debian12 ? new ProcessSpec(RealTool.Require("etcd"), []) : TargetTools.Require(os).Spec("/usr/bin/etcd");

        var data = Path.Join(_root.Path, "data", "etcd");
        var inventory = $$"""
            all:
              children:
                etcd: { hosts: { 127.0.0.2: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd, etcd_port: {{FreePort.Next()}}, etcd_peer_port: {{FreePort.Next()}}, etcd_data: '{{data}}' } }
                pg-meta: { hosts: { 127.0.0.2: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
              vars: { admin_ip: 127.0.0.2 }
            """;
        ModuleNodes.WriteCa(_root.Path);
        var node = ModuleNodes.Create(_root.Path, inventory, "127.0.0.2", platform: platform);
        var fake = new FakeMachine(_root.Path);
        var context = new StepContext(node, new RealProcessMachine(fake, new RootedProcesses(_root.Path, "/etc/etcd/")), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var steps = new EtcdModule().Plan(node).Steps;
        await StepRunner.RunAsync(steps.Single(s => s.Id == "etcd.certificate"), context);
        var settings = EtcdSettings.From(node.Vars, node.Etcd!.Value.Cluster, node.Etcd!.Value.Member, node.Repo.Platform);
        var config = EtcdRenderer.Config(settings).Replace("\"/etc/etcd/", $"\"{_root.Path}/etc/etcd/", StringComparison.Ordinal);
        var configPath = _root.Write("etcd.conf", config);
        Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var server = ProcessRunner.Silent.RunAsync(etcd with
        {
            Arguments = [.. etcd.Arguments, "--config-file", configPath],
            KillGrace = TimeSpan.FromSeconds(2),
            OnErrorLine = log.Enqueue,
        }, stop.Token);
        try
        {
            using var http = new HttpClient();
            var probe = new HealthProbe(new FakeServices(), http, TimeProvider.System, ProcessRunner.Silent);
            await probe.WaitForHttpAsync("etcd.service", settings.HealthUri, TimeSpan.FromSeconds(30), CancellationToken.None);

            var auth = steps.Single(s => s.Id == "etcd.auth");
            Assert.True(await StepRunner.RunAsync(auth, context));
            Assert.False(await StepRunner.RunAsync(auth, context));

            var anonymous = await context.Machine.Processes.RunAsync(EtcdCtl.Command(settings.ClientEndpoint, null, ["get", "/x"]), CancellationToken.None);
            Assert.True(EtcdCtl.RefusedForAuth(anonymous), anonymous.StandardError);
            var password = await node.Credentials.GetAsync(EtcdSettings.RootPasswordName, CancellationToken.None);
            var put = await context.Machine.Processes.RunAsync(EtcdCtl.Command(settings.ClientEndpoint, password, ["put", "/pg/x", "1"]), CancellationToken.None);
            Assert.True(put.Succeeded, put.StandardError);

            // Patroni's etcd3 client uses the v3 HTTP gateway (over TLS, with a token from the root password).
            using var gateway = new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, certificate, _, _) => TrustsSiteCa(certificate!, File.ReadAllText(Path.Join(_root.Path, CertificateSteps.CaCertificatePath))),
            });
            var token = await GatewayAsync(gateway, settings, "/v3/auth/authenticate", $"{{\"name\":\"root\",\"password\":\"{password}\"}}", null);
            var members = await GatewayAsync(gateway, settings, "/v3/cluster/member/list", "{}",
                System.Text.Json.JsonDocument.Parse(token).RootElement.GetProperty("token").GetString());
            Assert.Contains("\"members\"", members, StringComparison.Ordinal);

            // Patroni's own user: created once by the first member, read-write on /pg/pg-meta/ only, as Patroni's etcd3 client uses it.
            var users = steps.Single(s => s.Id == "etcd.patroni-users");
            Assert.True(await StepRunner.RunAsync(users, context));
            Assert.False(await StepRunner.RunAsync(users, context));
            var patroni = await node.Credentials.GetAsync("pg_etcd_pg-meta_password", CancellationToken.None);
            Assert.NotEqual(password, patroni);
            var userToken = System.Text.Json.JsonDocument.Parse(await GatewayAsync(gateway, settings, "/v3/auth/authenticate",
                $"{{\"name\":\"pg-meta\",\"password\":\"{patroni}\"}}", null)).RootElement.GetProperty("token").GetString();
            Assert.Contains("\"members\"", await GatewayAsync(gateway, settings, "/v3/cluster/member/list", "{}", userToken), StringComparison.Ordinal);
            var lease = System.Text.Json.JsonDocument.Parse(await GatewayAsync(gateway, settings, "/v3/lease/grant", "{\"TTL\":30}", userToken))
                .RootElement.GetProperty("ID").GetString();
            await GatewayAsync(gateway, settings, "/v3/kv/put", $"{{\"key\":\"{B64("/pg/pg-meta/leader")}\",\"value\":\"{B64("pg-meta-1")}\",\"lease\":\"{lease}\"}}", userToken);
            await GatewayAsync(gateway, settings, "/v3/kv/txn",
                $"{{\"compare\":[{{\"key\":\"{B64("/pg/pg-meta/leader")}\",\"target\":\"VALUE\",\"value\":\"{B64("pg-meta-1")}\"}}],"
                + $"\"success\":[{{\"request_put\":{{\"key\":\"{B64("/pg/pg-meta/optime/leader")}\",\"value\":\"{B64("1")}\"}}}}]}}", userToken);
            Assert.Contains(B64("pg-meta-1"), await GatewayAsync(gateway, settings, "/v3/kv/range",
                $"{{\"key\":\"{B64("/pg/pg-meta/")}\",\"range_end\":\"{B64("/pg/pg-meta0")}\"}}", userToken), StringComparison.Ordinal);
            foreach (var outside in new[] { "/pg/x", "/pg/pg-other/leader", "/pg/pg-meta" })
            {
                var refused = await context.Machine.Processes.RunAsync(EtcdCtl.AsUser(settings.ClientEndpoint, "pg-meta", patroni, ["put", outside, "1"]), CancellationToken.None);
                Assert.Contains("permission denied", refused.StandardError, StringComparison.Ordinal);
            }

            // Health stays green with RBAC on (etcd 3.4 reads /health without credentials).
            await probe.WaitForHttpAsync("etcd.service", settings.HealthUri, TimeSpan.FromSeconds(10), CancellationToken.None);
            var metrics = await http.GetStringAsync(new Uri($"http://127.0.0.2:{EtcdSettings.MetricsPort}/metrics"));
            Assert.Contains("etcd_server_has_leader 1", metrics, StringComparison.Ordinal);

            // etcd ignores keys it does not know: its first line (the configuration it runs with) proves that 3.5 took the checks.
            var v35 = platform.Etcd >= new Version(3, 5);
            Assert.Contains(log, l => l.Contains($"\"initial-corrupt-check\":{(v35 ? "true" : "false")}", StringComparison.Ordinal));
            Assert.Equal(v35, log.Any(l => l.Contains("\"compact-check-time-enabled\":true", StringComparison.Ordinal)));
            Assert.Contains(log, l => l.Contains($"\"etcd-version\":\"{platform.Etcd}.", StringComparison.Ordinal));
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => server);
        }
    }

    private static async Task<string> GatewayAsync(HttpClient http, EtcdSettings settings, string path, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(settings.ClientEndpoint), path))
        {
            Content = new StringContent(body),
        };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: HTTP {(int)response.StatusCode} {text}");
        return text;
    }

    private static string B64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    private static bool TrustsSiteCa(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string caPem)
    {
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(caPem));
        return chain.Build(certificate);
    }
}
