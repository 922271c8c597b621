using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>
/// The monitoring stack and DNS run for real on loopback ports, with exactly the flags and files INFRA renders (only paths
/// and ports differ): real behaviour rather than assumptions about what the daemons accept.
/// </summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class InfraLiveTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly TempDirectory _temp = new();
    private readonly Daemons _daemons = new();
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public void Dispose()
    {
        try
        {
            // Throws when a daemon died during the test, even after the test had its answers: that fails the test with its output.
            _daemons.Dispose();
        }
        finally
        {
            _http.Dispose();
            _temp.Dispose();
        }
    }

    [Fact]
    public async Task Victoria_metrics_scrapes_the_target_lists_vmalert_evaluates_the_rules_and_new_lists_are_picked_up()
    {
        var settings = Loopback() with
        {
            VmetricsPort = FreePort.Next(),
            VmalertPort = FreePort.Next(),
            AlertmanagerPort = FreePort.Next(),
            BlackboxPort = FreePort.Next(),
            ScrapeInterval = "2s",
            ScrapeTimeout = "1s",
            EvaluationInterval = "2s",
        };
        var targets = _temp.File("targets");
        foreach (var target in settings.ScrapeTargets())
        {
            _temp.Write($"targets/{target.Job}/{target.Name}.yml", target.Render());
        }

        foreach (var file in InfraModule.Rules)
        {
            _temp.Write($"rules/{file.FileName}", file.Text);
        }

        Start("prometheus-alertmanager",
            InfraUnits.AlertmanagerArguments(settings, _temp.Write("alertmanager.yml", AlertmanagerConfig.Render()), _temp.File("am")));
        Start("prometheus-blackbox-exporter",
            InfraUnits.BlackboxArguments(settings, _temp.Write("blackbox.yml", BlackboxConfig.Render())));
        Start("victoria-metrics",
            InfraUnits.VictoriaMetricsArguments(settings, _temp.Write("prometheus.yml", ScrapeConfig.Render(settings, InstallModules.Descriptors, targets, _temp.Write("ca.crt", InfraToolTests.SiteCa))), _temp.File("vm")));
        Start("vmalert", InfraUnits.VmalertArguments(settings, _temp.File("rules")));
        var vmetrics = $"http://127.0.0.1:{settings.VmetricsPort}";

        // Every INFRA component and the ping of this "node" are scraped and up, with the labels from the target lists.
        var up = await UntilAsync(async () =>
        {
            var active = await TargetsAsync(vmetrics);
            return active.Count(t => t.Health == "up") == 5 ? active : null;
        });
        Assert.Equal(["infra/alertmanager", "infra/blackbox", "infra/vmalert", "infra/vmetrics", "ping/"],
            up.Select(t => $"{t.Job}/{t.Type}").Order(StringComparer.Ordinal));
        Assert.All(up, t => Assert.Equal("pg-meta-1", t.Ins));

        // vmalert loaded both groups and evaluates every rule against VictoriaMetrics without errors. Only evaluations after
        // VictoriaMetrics answered count: one run failed on a "connection refused" from an evaluation made before it listened.
        var answering = DateTimeOffset.UtcNow;
        var rules = await UntilAsync(async () =>
        {
            using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.VmalertPort}/api/v1/rules")));
            var all = document.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray()
                    .Select(r => (Group: g.GetProperty("name").GetString(), Name: r.GetProperty("name").GetString(),
                        Error: r.GetProperty("lastError").GetString(),
                        Evaluated: DateTimeOffset.Parse(r.GetProperty("lastEvaluation").GetString()!, CultureInfo.InvariantCulture) > answering)))
                .ToList();
            return all.Count > 0 && all.All(r => r.Evaluated) ? all : null;
        });
        Assert.Equal(["infra", "node"], rules.Select(r => r.Group).Distinct().Order(StringComparer.Ordinal));
        Assert.All(rules, r => Assert.True(r.Error == "", $"{r.Group}/{r.Name}: {r.Error}"));

        // blackbox pings as the unprivileged prometheus user would with CAP_NET_RAW (here: root).
        var probe = await _http.GetStringAsync(new Uri($"http://127.0.0.1:{settings.BlackboxPort}/probe?module=icmp&target=127.0.0.1"));
        Assert.Contains("probe_success 1", probe, StringComparison.Ordinal);

        // A module adds a target list later: VictoriaMetrics picks it up without a restart, and reports it down.
        var nothing = FreePort.Next();
        _temp.Write("targets/node/127.0.0.2.yml", new ScrapeTarget("node", "127.0.0.2", [$"127.0.0.1:{nothing}"],
            new Dictionary<string, string> { ["ins"] = "late-node" }).Render());
        var late = await UntilAsync(async () => (await TargetsAsync(vmetrics)).Where(t => t.Job == "node" && t.Health == "down").ToList() is { Count: > 0 } found ? found : null);
        Assert.Equal("late-node", Assert.Single(late).Ins);
    }

    [Fact]
    public async Task Dnsmasq_answers_pigsty_names_and_records_a_module_adds_later()
    {
        var settings = Loopback() with { DnsPort = FreePort.Next(), DnsRecords = ["10.10.10.10 i.pigsty"] };
        var records = _temp.File("dns");
        _temp.Write("dns/infra", DnsmasqConfig.RenderRecords(settings.DnsRecords));

        // dnsmasq reads records as the dnsmasq user: the temp directory must be traversable, as /etc/pigsty/dns is.
        File.SetUnixFileMode(_temp.Path, FileSpec.Directory.Mode);
        Start("dnsmasq", "--keep-in-foreground", $"--conf-file={_temp.Write("dnsmasq.conf", DnsmasqConfig.Render(settings, records))}");

        Assert.Equal(IPAddress.Parse("10.10.10.10"), await UntilAsync(() => ResolveAsync(settings.DnsPort, "i.pigsty")));

        _temp.Write("dns/pg-meta", "10.10.10.2 pg-meta\n");
        Assert.Equal(IPAddress.Parse("10.10.10.2"), await UntilAsync(() => ResolveAsync(settings.DnsPort, "pg-meta")));
    }

    [Fact]
    public async Task Nginx_asks_for_a_login_then_sends_each_portal_path_to_its_component_with_or_without_the_prefix()
    {
        using var component = new LoopbackHttpServer();
        foreach (var path in new[] { "/targets", "/vmalert/groups", "/api/v2/alerts", "/probe", "/api/v1/import" })
        {
            component.MapBytes(path, Encoding.UTF8.GetBytes($"component saw {path}"));
        }

        var settings = Loopback() with
        {
            NginxPort = FreePort.Next(),
            NginxSslPort = FreePort.Next(),
            VmetricsPort = component.Port,
            VmalertPort = component.Port,
            AlertmanagerPort = component.Port,
            BlackboxPort = component.Port,
        };
        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("pigsty-ca", now);
        var issued = CertificateAuthority.Load(root.CertificatePem, root.PrivateKeyPem).Issue("i.pigsty", ["i.pigsty"], [IPAddress.Loopback], now);

        // nginx's workers (www-data) read the password file at every request: the temp directory must be traversable.
        File.SetUnixFileMode(_temp.Path, FileSpec.Directory.Mode);
        var passwords = _temp.Write("nginx/pigsty.htpasswd", PortalPasswords.Render([("admin", "Adm1n.pass"), ("viewer", "v13w:er")], null));
        var main = _temp.Write("nginx/nginx.conf", NginxConfig.RenderMain(_temp.File("nginx.pid")));
        File.Copy("/etc/nginx/mime.types", _temp.File("nginx/mime.types"));
        _temp.Write("nginx/conf.d/pigsty.conf",
            NginxConfig.RenderPortal(settings, _temp.Write("nginx.crt", issued.CertificatePem), _temp.Write("nginx.key", issued.PrivateKeyPem), passwords));
        Start("nginx", "-c", main, "-g", "daemon off;");
        var portal = $"http://127.0.0.1:{settings.NginxPort}";
        await UntilAsync(async () => (await _http.GetAsync(new Uri(portal + "/ca.crt"))).StatusCode is HttpStatusCode.NotFound ? "up" : null);

        // Without a login (or with a wrong one): 401 for the home page, the status and every component, writing APIs included.
        foreach (var path in new[] { "/", "/status.json", "/vmetrics/targets", "/vmetrics/api/v1/import", "/vmalert/groups", "/alertmgr/api/v2/alerts", "/blackbox/probe" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(portal + path, null)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(portal + path, "admin:wrong")).StatusCode);
        }

        // The repo and the CA certificate ask for none (absent on this host: 404, not 401).
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(portal + "/pigsty/repo_complete", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(portal + "/ca.crt", null)).StatusCode);

        // With a login from the password file (hashed in C#, checked by nginx's crypt(3)), each path reaches its component.
        foreach (var (path, seen, login) in new[]
        {
            ("/vmetrics/targets", "/targets", "admin:Adm1n.pass"), ("/vmalert/groups", "/vmalert/groups", "viewer:v13w:er"),
            ("/alertmgr/api/v2/alerts", "/api/v2/alerts", "admin:Adm1n.pass"), ("/blackbox/probe", "/probe", "admin:Adm1n.pass"),
        })
        {
            using var response = await SendAsync(portal + path, login);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"component saw {seen}", await response.Content.ReadAsStringAsync());
        }

        using var redirect = await SendAsync(portal + "/vmetrics", "admin:Adm1n.pass");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/vmetrics/", redirect.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task A_browser_logged_in_through_the_url_shows_the_install_status_on_the_portal_page()
    {
        // BootTest's portal check opens http://user:password@host/ in Chromium; the page's relative fetch inherited that
        // login, and fetch refuses a URL that carries one, so the status never showed although nginx would have served it.
        var settings = Loopback() with { NginxPort = FreePort.Next(), NginxSslPort = FreePort.Next() };
        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("pigsty-ca", now);
        var issued = CertificateAuthority.Load(root.CertificatePem, root.PrivateKeyPem).Issue("i.pigsty", ["i.pigsty"], [IPAddress.Loopback], now);
        File.SetUnixFileMode(_temp.Path, FileSpec.Directory.Mode);
        var www = Directory.CreateDirectory(_temp.File("www")).FullName;
        _temp.Write("www/index.html", PortalPage.Render(settings, []));
        var status = _temp.Write("status.json", "{\n  \"state\": \"done\",\n  \"phase\": \"done\",\n  \"modules\": []\n}\n");
        var passwords = _temp.Write("nginx/pigsty.htpasswd", PortalPasswords.Render([("admin", "Adm1n.pass")], null));
        var main = _temp.Write("nginx/nginx.conf", NginxConfig.RenderMain(_temp.File("nginx.pid")));
        File.Copy("/etc/nginx/mime.types", _temp.File("nginx/mime.types"));
        var portalConfig = NginxConfig.RenderPortal(settings, _temp.Write("nginx.crt", issued.CertificatePem), _temp.Write("nginx.key", issued.PrivateKeyPem), passwords);
        _temp.Write("nginx/conf.d/pigsty.conf", portalConfig
            .Replace($"root {NodeLayout.Www};", $"root {www};", StringComparison.Ordinal)
            .Replace($"alias {NodeLayout.StatusFile};", $"alias {status};", StringComparison.Ordinal));
        Start("nginx", "-c", main, "-g", "daemon off;");
        var portal = $"http://127.0.0.1:{settings.NginxPort}";
        await UntilAsync(async () => (await _http.GetAsync(new Uri(portal + "/ca.crt"))).StatusCode is HttpStatusCode.NotFound ? "up" : null);

        var profile = Directory.CreateDirectory(_temp.File("chromium")).FullName;
        var page = await RealTool.CheckAsync("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            "--virtual-time-budget=5000", "--dump-dom", $"http://admin:Adm1n.pass@127.0.0.1:{settings.NginxPort}/");

        Assert.Contains("id=\"status\" class=\"ok\">State: done", page.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string url, string? login)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url));
        if (login is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(login)));
        }

        return await _http.SendAsync(request);
    }

    private InfraSettings Loopback() => InfraSettings.From(TestNode.Create(_temp.File("root"))) with
    {
        Address = IPAddress.Loopback,
        Nodes = [(IPAddress.Loopback, "pg-meta-1")],
        OtherNodeTargets = [],
    };

    private void Start(string program, params string[] arguments) => _daemons.Start(program, arguments);

    /// <summary>Polls until <paramref name="attempt"/> gives a value; a daemon that died or the deadline fails the test.</summary>
    private async Task<T> UntilAsync<T>(Func<Task<T?>> attempt)
    {
        var until = DateTime.UtcNow + Patience;
        string last = "no answer";
        while (DateTime.UtcNow < until)
        {
            _daemons.ThrowIfDied();

            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or OperationCanceledException or JsonException)
            {
                last = e.Message;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"gave up after {Patience.TotalSeconds} s: {last}");
    }

    private async Task<IReadOnlyList<(string Job, string Type, string Ins, string Health)>> TargetsAsync(string vmetrics)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"{vmetrics}/api/v1/targets")));
        return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Select(t =>
            {
                var labels = t.GetProperty("labels");
                string Label(string name) => labels.TryGetProperty(name, out var value) ? value.GetString()! : "";
                return (Label("job"), Label("type"), Label("ins"), t.GetProperty("health").GetString()!);
            })
            .ToList();
    }

    /// <summary>One A query over UDP; the first A record of the answer, or null when there is none.</summary>
    private static async Task<IPAddress?> ResolveAsync(int port, string name)
    {
        var query = new List<byte> { 0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(Encoding.ASCII.GetBytes(label));
        }

        query.AddRange([0, 0, 1, 0, 1]);
        using var udp = new UdpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await udp.SendAsync(query.ToArray(), new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        var reply = (await udp.ReceiveAsync(timeout.Token)).Buffer;
        var answers = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(6));
        var at = query.Count;
        for (var i = 0; i < answers; i++)
        {
            at += (reply[at] & 0xC0) == 0xC0 ? 2 : SkipName(reply, at);
            var type = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(at));
            var length = BinaryPrimitives.ReadUInt16BigEndian(reply.AsSpan(at + 8));
            if (type == 1 && length == 4)
            {
                return new IPAddress(reply.AsSpan(at + 10, 4));
            }

            at += 10 + length;
        }

        return null;
    }

    private static int SkipName(byte[] reply, int at)
    {
        var start = at;
        while (reply[at] != 0)
        {
            at += reply[at] + 1;
        }

        return at + 1 - start;
    }
}
