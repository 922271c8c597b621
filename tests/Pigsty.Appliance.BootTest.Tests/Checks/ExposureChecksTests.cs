using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>BootTest's exposure checks judged on recorded outputs and a loopback server: each can fail, and says why.</summary>
public sealed class ExposureChecksTests
{
    private const string Seed = """
        all:
          children:
            infra:   { hosts: { 10.0.2.15: { infra_seq: 1 } } }
            etcd:    { hosts: { 10.0.2.15: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
            pg-meta: { hosts: { 10.0.2.15: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars:
            admin_ip: 10.0.2.15
        """;

    /// <summary>What ss -ltnpH prints on a converged single node (abridged), loopback-only components included.</summary>
    private const string Ss = """
        LISTEN 0      4096       127.0.0.1:8428       0.0.0.0:*    users:(("victoria-metric",pid=900,fd=9))
        LISTEN 0      4096       127.0.0.1:8880       0.0.0.0:*    users:(("vmalert",pid=901,fd=7))
        LISTEN 0      4096   127.0.0.53%lo:53         0.0.0.0:*    users:(("systemd-resolve",pid=300,fd=14))
        LISTEN 0      128          0.0.0.0:22         0.0.0.0:*    users:(("sshd",pid=500,fd=3))
        LISTEN 0      4096       10.0.2.15:9100       0.0.0.0:*    users:(("prometheus-node",pid=700,fd=3))
        LISTEN 0      511          0.0.0.0:80         0.0.0.0:*    users:(("nginx",pid=800,fd=6))
        LISTEN 0      4096               *:5432             *:*    users:(("postgres",pid=1000,fd=6))
        LISTEN 0      128             [::]:22            [::]:*    users:(("sshd",pid=500,fd=4))
        LISTEN 0      4096           [::1]:9001          [::]:*    users:(("minio",pid=1100,fd=8))
        """;

    [Fact]
    public void Documented_ports_are_those_of_the_modules_the_seed_gives_the_node()
    {
        var ports = ExposureChecks.DocumentedPorts(InventoryLoader.Parse(Seed, "seed.yml"));

        Assert.Equal([22, 53, 80, 443, 2379, 2380, 2381, 5432, 5433, 5434, 5436, 5438, 6432, 8008, 9100, 9101, 9630, 9631], ports.Order());
    }

    [Fact]
    public void Listeners_on_loopback_are_fine_and_beyond_it_only_documented_ports_pass()
    {
        var documented = ExposureChecks.DocumentedPorts(InventoryLoader.Parse(Seed, "seed.yml"));

        var good = ExposureChecks.Listeners(Ss, documented);
        var bad = ExposureChecks.Listeners(Ss + "\nLISTEN 0 4096 0.0.0.0:9115 0.0.0.0:* users:((\"prometheus-blac\",pid=902,fd=3))\n"
            + "LISTEN 0 4096 [::]:8428 [::]:* users:((\"victoria-metric\",pid=900,fd=10))", documented);

        Assert.True(good.Passed, good.Detail);
        Assert.Equal("4 ports beyond loopback, all documented: 22, 80, 5432, 9100", good.Detail);
        Assert.False(bad.Passed);
        Assert.Equal("undocumented: 0.0.0.0:9115 users:((\"prometheus-blac\",pid=902,fd=3)); [::]:8428 users:((\"victoria-metric\",pid=900,fd=10))", bad.Detail);
        Assert.False(ExposureChecks.Listeners("", documented).Passed);
    }

    [Theory]
    [InlineData("# written by pigsty-appliance\ndeb [signed-by=/www/pigsty/pigsty.gpg] file:/www/pigsty ./\n", true)]
    [InlineData("deb [signed-by=/www/pigsty/pigsty.gpg] http://10.0.2.15/pigsty ./\ndeb [trusted=yes] file:/www/pigsty ./\n", false)]
    [InlineData("deb [ arch=amd64 trusted = yes ] http://10.0.2.2/debian bookworm main\n", false)]
    [InlineData("Types: deb\nURIs: http://10.0.2.2/debian\nSuites: bookworm\nTrusted: yes\n", false)]
    [InlineData("# deb [trusted=yes] file:/old ./\n", false)]
    public void Apt_sources_must_all_check_signatures(string sources, bool passes)
    {
        var result = ExposureChecks.AptSources(sources);

        Assert.Equal(passes, result.Passed);
    }

    [Fact]
    public async Task An_api_that_answers_without_a_login_is_a_finding_and_a_refusal_or_no_answer_is_not()
    {
        using var server = new LoopbackHttpServer();
        server.Map("/open", c => LoopbackHttpServer.Respond(c, 200, "ok"u8.ToArray()));
        server.Map("/guarded", c => LoopbackHttpServer.Respond(c,
            c.Request.Headers["Authorization"] == "Basic YWRtaW46cHc=" ? 200 : 401, "x"u8.ToArray()));
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/api/v1/import");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var login = new AuthenticationHeaderValue("Basic", "YWRtaW46cHc=");

        var refused = await ExposureChecks.RefusedAsync(http, "refused", [(HttpMethod.Get, new Uri(server.BaseUri, "guarded")), (HttpMethod.Post, closed)],
            (new Uri(server.BaseUri, "guarded"), login), CancellationToken.None);
        var open = await ExposureChecks.RefusedAsync(http, "open", [(HttpMethod.Get, new Uri(server.BaseUri, "guarded")), (HttpMethod.Post, new Uri(server.BaseUri, "open"))],
            null, CancellationToken.None);
        var deadControl = await ExposureChecks.RefusedAsync(http, "dead", [(HttpMethod.Post, closed)], (closed, login), CancellationToken.None);

        Assert.True(refused.Passed, refused.Detail);
        Assert.Equal("2 unauthenticated requests refused; with the login they are served", refused.Detail);
        Assert.False(open.Passed);
        Assert.Equal("answered without a login: POST /open → 200", open.Detail);
        Assert.False(deadControl.Passed);
        Assert.Contains("with the portal login → no answer, so the refusals prove nothing", deadControl.Detail, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
