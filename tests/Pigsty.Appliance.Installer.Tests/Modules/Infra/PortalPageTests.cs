using System.Text;
using Pigsty.Appliance.Installer.Modules;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Infra;

/// <summary>
/// The portal home page in a real browser (headless Chromium): its script draws status.json as modules with progress, a table of
/// steps, a failure in red with what to do and the raw JSON folded away, and fills the metric queries from VictoriaMetrics' API.
/// </summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class PortalPageTests : IDisposable
{
    private const string FailedStatus = """
        {
          "state": "failed", "phase": "PGSQL", "node": "10.10.10.10", "hostname": "pg-meta-1", "seed": "volume PIGSTY",
          "started": "2026-11-30T20:00:00Z", "updated": "2026-11-30T20:04:10Z",
          "error": "step 'pgsql.patroni' failed: patroni did not answer <img src=x onerror=alert(1)>",
          "failed_step": "pgsql.patroni", "portal": "http://10.10.10.10/", "credentials": "/etc/pigsty/credentials.yml", "phases": {},
          "modules": [
            { "name": "NODE", "state": "done", "reason": null, "notes": [], "seconds": 61.5, "steps": [
              { "id": "node.hostname", "title": "hostname pg-meta-1", "state": "done", "seconds": 0.2, "error": null },
              { "id": "node.packages", "title": "install haproxy", "state": "applied", "seconds": 61.3, "error": null } ] },
            { "name": "PGSQL", "state": "failed", "reason": null, "notes": [], "seconds": 120, "steps": [
              { "id": "pgsql.packages", "title": "install postgresql-15", "state": "applied", "seconds": 30, "error": null },
              { "id": "pgsql.patroni", "title": "Patroni on :8008", "state": "failed", "seconds": 90, "error": "patroni did not answer" },
              { "id": "pgsql.users", "title": "roles", "state": "pending", "seconds": 0, "error": null } ] }
          ]
        }
        """;

    private const string PgUpAnswer = """
        {"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"pg_up","cls":"pg-meta","ins":"pg-meta-1"},"value":[1764532800,"1"]}]}}
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_failed_install_shows_as_modules_with_progress_steps_with_durations_the_failure_in_red_and_the_raw_json_folded()
    {
        RealTool.Require("chromium");
        var settings = InfraSettings.From(TestNode.Create(_temp.Path));
        using var server = new LoopbackHttpServer();
        var page = Encoding.UTF8.GetBytes(PortalPage.Render(settings, [], [Queries[0]]));
        server.Map("/", context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return LoopbackHttpServer.Respond(context, 200, page);
        });
        server.MapBytes("/status.json", Encoding.UTF8.GetBytes(FailedStatus));
        server.MapBytes("/vmetrics/api/v1/query", Encoding.UTF8.GetBytes(PgUpAnswer));
        var profile = Directory.CreateDirectory(_temp.File("chromium")).FullName;

        var dom = (await RealTool.CheckAsync("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}",
            "--virtual-time-budget=5000", "--dump-dom", server.BaseUri.ToString())).StandardOutput;

        Assert.Contains("<div id=\"status\" class=\"bad\">State: failed (PGSQL)</div>", dom, StringComparison.Ordinal);
        Assert.Contains("<p>pg-meta-1 · 10.10.10.10 · seed: volume PIGSTY · took 4 min 10 s", dom, StringComparison.Ordinal);
        Assert.Contains("<div class=\"failure\"><strong>Failed at step pgsql.patroni: </strong><span>step 'pgsql.patroni' failed: patroni did not answer "
            + "&lt;img src=x onerror=alert(1)&gt;</span><p>What to do: read the whole log on this node with journalctl -u pigsty-firstboot", dom, StringComparison.Ordinal);
        Assert.Contains("<tr><td>NODE</td><td><span><progress max=\"2\" value=\"2\"></progress> 2/2</span></td><td>done</td><td class=\"num\">1 min 2 s</td>",
            dom, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"failed\"><td>PGSQL</td><td><span><progress max=\"3\" value=\"2\"></progress> 2/3</span></td><td>failed</td><td class=\"num\">2 min 0 s</td>",
            dom, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"failed\"><td>pgsql.patroni</td><td>Patroni on :8008</td><td>failed</td><td class=\"num\">1 min 30 s</td></tr>", dom, StringComparison.Ordinal);
        Assert.Contains("<tr><td>node.packages</td><td>install haproxy</td><td>applied</td><td class=\"num\">1 min 1 s</td></tr>", dom, StringComparison.Ordinal);
        Assert.Contains("<details><summary>status.json</summary><pre>{\n  \"state\": \"failed\",", dom, StringComparison.Ordinal);
        Assert.Contains("<td class=\"value\">pg-meta-1: 1</td>", dom, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", dom, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<MetricQuery> Queries => InstallModules.Descriptors.SelectMany(d => d.Queries).ToList();
}
