using System.Net;
using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>The portal's home page: links to every component the bundle brought, and the install status from <c>/status.json</c>.</summary>
public static class PortalPage
{
    public const string Path = NodeLayout.Www + "/index.html";

    /// <summary>A self-contained page (no external scripts, fonts or images: the site is offline).</summary>
    public static string Render(InfraSettings settings, IReadOnlyList<string> skipped)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(skipped);
        var title = $"Pigsty on {settings.Hostname}";
        var text = new StringBuilder()
            .Append("<!DOCTYPE html>\n<!-- written by pigsty-appliance (INFRA) -->\n")
            .Append("<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Html(title)).Append("</title>\n")
            .Append("<style>\n")
            .Append("body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 56rem; padding: 0 1rem; color: #222; }\n")
            .Append("h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }\n")
            .Append("table { border-collapse: collapse; width: 100%; } td { padding: .35rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }\n")
            .Append("td:first-child { white-space: nowrap; } a { color: #0b5cad; }\n")
            .Append("#status { padding: .75rem; border-radius: .3rem; background: #f3f3f3; }\n")
            .Append(".ok { background: #e3f4e3 !important; } .bad { background: #fbe3e3 !important; }\n")
            .Append("pre { white-space: pre-wrap; font-size: .85rem; }\n")
            .Append("</style>\n</head>\n<body>\n")
            .Append("<h1>").Append(Html(title)).Append("</h1>\n")
            .Append("<p>").Append(Html(settings.PortalDomain)).Append(" &middot; ").Append(Html(settings.Address.ToString()))
            .Append(" &middot; offline PostgreSQL site installed by pigsty-appliance</p>\n\n")
            .Append("<h2>Install status</h2>\n")
            .Append("<div id=\"status\">No install status yet (<a href=\"/status.json\">/status.json</a>).</div>\n\n")
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
        if (skipped.Count > 0)
        {
            text.Append("\n<h2>Not installed</h2>\n<ul>\n");
            foreach (var note in skipped)
            {
                text.Append("<li>").Append(Html(note)).Append("</li>\n");
            }

            text.Append("</ul>\n");
        }

        return text.Append("""

            <script>
            // The installer rewrites /status.json as it goes; show its summary and the whole document.
            // From the origin, not relative: on a page opened with a login in its address (user:password@host) a relative URL inherits the
            // login, and fetch refuses any URL with one; the browser sends the cached login to the origin anyway.
            fetch(new URL('/status.json', location.origin), { cache: 'no-store' })
              .then(r => r.ok ? r.json() : Promise.reject(r.status))
              .then(s => {
                const box = document.getElementById('status');
                const state = s.state || s.status || s.result || 'unknown';
                box.className = /fail|error/i.test(state) ? 'bad' : /done|ok|success|complete/i.test(state) ? 'ok' : '';
                box.textContent = 'State: ' + state;
                const pre = document.createElement('pre');
                pre.textContent = JSON.stringify(s, null, 2);
                box.appendChild(pre);
              })
              .catch(e => {
                document.getElementById('status').textContent = 'Install status unavailable: ' + e;
              });
            </script>
            </body>
            </html>

            """).ToString();
    }

    private static void Row(StringBuilder text, string link, string name, string description) =>
        text.Append("<tr><td><a href=\"").Append(Html(link)).Append("\">").Append(Html(name)).Append("</a></td><td>")
            .Append(Html(description)).Append("</td></tr>\n");

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}
