using System.Globalization;
using System.Net;
using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>
/// The portal's home page: the install status from <c>/status.json</c> drawn as a page (modules with progress, steps with their
/// durations, a failure with what to do, the raw JSON folded away), links to every component the bundle brought, and the modules'
/// ready-made metric queries with their live values when VictoriaMetrics runs.
/// </summary>
public static class PortalPage
{
    public const string Path = NodeLayout.Www + "/index.html";

    /// <summary>VictoriaMetrics' instant-query API behind the portal (Debian's build serves no vmui, so the page asks the API itself).</summary>
    public const string QueryApi = "/vmetrics/api/v1/query?query=";

    /// <summary>A self-contained page (no external scripts, fonts or images: the site is offline).</summary>
    /// <param name="queries">The modules' ready-made queries; shown only when VictoriaMetrics runs (<c>vmetrics_enabled</c>).</param>
    /// <param name="connections">The modules' services with a connection string per user they admit (passwords are never among them).</param>
    public static string Render(InfraSettings settings, IReadOnlyList<string> skipped, IReadOnlyList<MetricQuery>? queries = null,
        IReadOnlyList<ServiceConnection>? connections = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(skipped);
        var title = $"Pigsty on {settings.Hostname}";
        var text = new StringBuilder()
            .Append("<!DOCTYPE html>\n<!-- written by pigsty-appliance (INFRA) -->\n")
            .Append("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html(title)).Append("</title>\n")
            .Append(Style)
            .Append("</head>\n<body>\n")
            .Append("<h1>").Append(Html(title)).Append("</h1>\n")
            .Append("<p>").Append(Html(settings.PortalDomain)).Append(" &middot; ").Append(Html(settings.Address.ToString()))
            .Append(" &middot; offline PostgreSQL site installed by pigsty-appliance</p>\n\n")
            .Append("<h2>Install status</h2>\n")
            .Append("<div id=\"status\">No install status yet (<a href=\"/status.json\">/status.json</a>).</div>\n")
            .Append("<div id=\"install\"></div>\n\n")
            .Append("<h2>Services</h2>\n<table>\n");
        foreach (var endpoint in settings.Endpoints)
        {
            Row(text, endpoint.Link, endpoint.Name, endpoint.Description);
        }

        var haproxy = $"http://{HostAddress.ForUri(settings.Address)}:{settings.HaproxyAdminPort}/haproxy/{settings.Hostname}/";
        Row(text, "/pigsty/", "Package repository", $"the local apt repository ({NodeLayout.Repo}) every node installs from");
        Row(text, "/ca.crt", "CA certificate", "the site's certificate authority: import it to trust this portal over https");
        Row(text, haproxy, "HAProxy", "admin page of this node's HAProxy (PostgreSQL services): user admin, password haproxy_admin_password (the seed's, or generated into "
            + NodeLayout.CredentialsFile + ")");
        text.Append("</table>\n");
        Connections(text, connections ?? []);

        // Without VictoriaMetrics there is nothing to ask: no section rather than links that answer 404.
        var shown = settings.VmetricsEnabled ? queries ?? [] : [];
        if (shown.Count > 0)
        {
            text.Append("\n<h2>Metrics</h2>\n")
                .Append("<p>What Pigsty's dashboards show first, asked of VictoriaMetrics when this page loads; each link is the query's JSON answer.</p>\n")
                .Append("<table id=\"metrics\">\n<tr><th>Metric</th><th>Now</th><th>Unit</th></tr>\n");
            foreach (var query in shown)
            {
                text.Append("<tr data-query=\"").Append(Html(query.Expression)).Append("\"><td><a href=\"")
                    .Append(Html(QueryApi + Uri.EscapeDataString(query.Expression))).Append("\" title=\"").Append(Html(query.Expression)).Append("\">")
                    .Append(Html(query.Name)).Append("</a></td><td class=\"value\">&hellip;</td><td>").Append(Html(query.Unit)).Append("</td></tr>\n");
            }

            text.Append("</table>\n");
        }

        if (skipped.Count > 0)
        {
            text.Append("\n<h2>Not installed</h2>\n<ul>\n");
            foreach (var note in skipped)
            {
                text.Append("<li>").Append(Html(note)).Append("</li>\n");
            }

            text.Append("</ul>\n");
        }

        return text.Append("\n<script>\n").Append(StatusScript).Append('\n').Append(shown.Count > 0 ? MetricsScript + "\n" : "").Append("</script>\n</body>\n</html>\n").ToString();
    }

    private const string Style = """
        <style>
        body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; padding: 0 1rem; color: #222; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1rem; margin-top: 1.25rem; }
        table { border-collapse: collapse; width: 100%; } td, th { padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; text-align: left; }
        td:first-child { white-space: nowrap; } a { color: #0b5cad; } .num { text-align: right; white-space: nowrap; }
        #status { padding: .75rem; border-radius: .3rem; background: #f3f3f3; font-weight: 600; }
        .ok { background: #e3f4e3 !important; } .bad { background: #fbe3e3 !important; }
        .failure { margin-top: .75rem; padding: .75rem; border-left: .3rem solid #c62828; background: #fbe3e3; color: #8e1b1b; }
        tr.failed td { color: #8e1b1b; background: #fbe3e3; } td.error { white-space: pre-wrap; font-size: .85rem; }
        progress { width: 12rem; vertical-align: middle; }
        pre { white-space: pre-wrap; font-size: .85rem; }
        table.connect code { font-size: .85rem; word-break: break-all; } .password { color: #666; font-size: .8rem; }
        </style>

        """;

    // The installer rewrites /status.json as it goes; the script draws it with DOM nodes and textContent only (nothing from the file is
    // ever parsed as HTML). From the origin, not relative: on a page opened with a login in its address (user:password@host) a relative
    // URL inherits the login, and fetch refuses any URL with one; the browser sends the cached login to the origin anyway.
    private const string StatusScript = """
        function el(tag, text, cls) {
          const e = document.createElement(tag);
          if (text !== undefined && text !== null) e.textContent = String(text);
          if (cls) e.className = cls;
          return e;
        }
        function secs(s) {
          if (typeof s !== 'number' || !(s > 0)) return '';
          return s < 60 ? s.toFixed(1) + ' s' : Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s';
        }
        function table(head) {
          const t = el('table'), r = el('tr');
          head.forEach(h => r.appendChild(el('th', h)));
          t.appendChild(r);
          return t;
        }
        function row(t, cells, cls) {
          const r = el('tr', null, cls);
          cells.forEach(c => { const d = el('td', null, c && c.cls); if (c instanceof Node) d.appendChild(c); else d.textContent = c && c.text !== undefined ? c.text : (c ?? ''); r.appendChild(d); });
          t.appendChild(r);
          return r;
        }
        const settled = ['done', 'applied', 'skipped', 'failed', 'interrupted'];
        fetch(new URL('/status.json', location.origin), { cache: 'no-store' })
          .then(r => r.ok ? r.json() : Promise.reject(r.status))
          .then(s => {
            const box = document.getElementById('status');
            const state = s.state || s.status || s.result || 'unknown';
            box.className = /fail|error/i.test(state) ? 'bad' : /done|ok|success|complete/i.test(state) ? 'ok' : '';
            box.textContent = 'State: ' + state + (s.phase && s.phase !== state ? ' (' + s.phase + ')' : '');
            const out = document.getElementById('install');
            const started = s.started ? new Date(s.started) : null, updated = s.updated ? new Date(s.updated) : null;
            out.appendChild(el('p', [s.hostname, s.node, s.seed ? 'seed: ' + s.seed : null,
              started && updated ? 'took ' + secs((updated - started) / 1000) + ' (last update ' + updated.toISOString() + ')' : null].filter(x => x).join(' \u00b7 ')));
            if (/fail/i.test(state)) {
              const f = el('div', null, 'failure');
              f.appendChild(el('strong', 'Failed' + (s.failed_step ? ' at step ' + s.failed_step : '') + ': '));
              f.appendChild(el('span', s.error || 'no reason recorded'));
              f.appendChild(el('p', 'What to do: read the whole log on this node with journalctl -u pigsty-firstboot (errors only: -p err); '
                + 'fix the cause (the seed\'s pigsty.yml or the node), then run first boot again with systemctl restart pigsty-firstboot '
                + 'or a reboot. Finished steps are skipped, the failed one is tried again.'));
              out.appendChild(f);
            }
            const modules = s.modules || [];
            if (modules.length > 0) {
              out.appendChild(el('h3', 'Modules'));
              const mt = table(['Module', 'Progress', 'State', 'Time', 'Note']);
              modules.forEach(m => {
                const steps = m.steps || [], done = steps.filter(x => settled.includes(x.state)).length;
                const bar = el('span');
                const p = el('progress');
                p.max = Math.max(steps.length, 1); p.value = m.state === 'skipped' ? p.max : done;
                bar.appendChild(p); bar.appendChild(document.createTextNode(' ' + done + '/' + steps.length));
                row(mt, [m.name, bar, m.state, { text: secs(m.seconds), cls: 'num' }, m.reason || (m.notes || []).join('; ')], m.state === 'failed' ? 'failed' : '');
              });
              out.appendChild(mt);
              out.appendChild(el('h3', 'Steps'));
              const st = table(['Step', 'What', 'State', 'Time']);
              modules.forEach(m => (m.steps || []).forEach(x => {
                row(st, [x.id, x.title, x.state, { text: secs(x.seconds), cls: 'num' }], x.state === 'failed' ? 'failed' : '');
                if (x.error) row(st, ['', { text: x.error, cls: 'error' }, '', ''], 'failed');
              }));
              out.appendChild(st);
            }
            const raw = el('details'), pre = el('pre', JSON.stringify(s, null, 2));
            raw.appendChild(el('summary', 'status.json'));
            raw.appendChild(pre);
            out.appendChild(raw);
          })
          .catch(e => {
            document.getElementById('status').textContent = 'Install status unavailable: ' + e;
          });
        """;

    // Each ready-made query's value, asked of VictoriaMetrics' API through the portal when the page loads.
    private const string MetricsScript = """
        document.querySelectorAll('#metrics tr[data-query]').forEach(r => {
          const cell = r.querySelector('.value');
          fetch(new URL('/vmetrics/api/v1/query?query=' + encodeURIComponent(r.dataset.query), location.origin), { cache: 'no-store' })
            .then(a => a.ok ? a.json() : Promise.reject(a.status))
            .then(a => {
              const series = (a.data && a.data.result) || [];
              cell.textContent = series.length === 0 ? 'no data' : series.map(x => {
                const m = x.metric || {}, who = [m.ins || m.cls || m.instance, m.mountpoint].filter(w => w).join(' ');
                const v = Number(x.value[1]);
                return (who ? who + ': ' : '') + (Number.isFinite(v) ? (Math.round(v * 100) / 100) : x.value[1]);
              }).join(', ');
            })
            .catch(e => { cell.textContent = 'unavailable (' + e + ')'; });
        });

        """;

    /// <summary>One table per cluster: each service, where it leads, and a command line per user it admits with where the password is.</summary>
    private static void Connections(StringBuilder text, IReadOnlyList<ServiceConnection> connections)
    {
        if (connections.Count == 0)
        {
            return;
        }

        text.Append("\n<h2>Connect</h2>\n")
            .Append("<p>Passwords are not on this page: a generated one is in ").Append(Html(NodeLayout.CredentialsFile))
            .Append(" (root only) under the name shown, a password the seed gives is in the seed. psql asks for it.</p>\n");
        foreach (var group in connections.GroupBy(c => c.Group, StringComparer.Ordinal))
        {
            text.Append("<h3>").Append(Html(group.Key)).Append("</h3>\n<table class=\"connect\">\n<tr><th>Service</th><th class=\"num\">Port</th><th>Leads to</th><th>Connect</th></tr>\n");
            foreach (var connection in group)
            {
                text.Append("<tr><td>").Append(Html(connection.Name)).Append("</td><td class=\"num\">")
                    .Append(connection.Port.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Html(connection.LeadsTo)).Append("</td><td>");
                foreach (var login in connection.Logins)
                {
                    text.Append("<div><code>").Append(Html(login.Command)).Append("</code> <span class=\"password\">").Append(Html(login.Password)).Append("</span></div>");
                }

                text.Append(connection.Logins.Count == 0 ? "&mdash;" : "").Append("</td></tr>\n");
            }

            text.Append("</table>\n");
        }
    }

    private static void Row(StringBuilder text, string link, string name, string description) =>
        text.Append("<tr><td><a href=\"").Append(Html(link)).Append("\">").Append(Html(name)).Append("</a></td><td>")
            .Append(Html(description)).Append("</td></tr>\n");

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
