using System.Text;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>
/// nginx: <c>nginx.conf</c> (process and http defaults, includes <c>conf.d/*.conf</c>) and the portal server in
/// <c>conf.d/pigsty.conf</c>. Includes are relative to nginx.conf's directory, so <c>nginx -t -c</c> checks a copy anywhere.
/// </summary>
public static class NginxConfig
{
    public const string MainPath = "/etc/nginx/nginx.conf";

    public const string PortalPath = "/etc/nginx/conf.d/pigsty.conf";

    /// <summary>The main configuration; Debian's sites-enabled/ is not included, so its default site never competes for :80.</summary>
    public static string RenderMain(string pidFile = "/run/nginx.pid") =>
        $$"""
        # written by pigsty-appliance (INFRA); the portal server is conf.d/pigsty.conf, add your own servers in conf.d/*.conf
        # Debian's sites-enabled/ is deliberately not included: its default site would compete for port 80.
        user www-data;
        worker_processes auto;
        pid {{pidFile}};
        error_log /var/log/nginx/error.log;
        include /etc/nginx/modules-enabled/*.conf;

        events {
            worker_connections 1024;
        }

        http {
            include mime.types;
            default_type application/octet-stream;
            sendfile on;
            tcp_nopush on;
            server_tokens off;
            keepalive_timeout 65;
            types_hash_max_size 2048;
            access_log /var/log/nginx/access.log;
            gzip on;
            gzip_types text/plain text/css application/json application/javascript text/xml application/xml;
            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_prefer_server_ciphers off;
            ssl_session_cache shared:SSL:10m;

            # websocket upgrades for proxied UIs (Grafana live)
            map $http_upgrade $connection_upgrade {
                default upgrade;
                ''      close;
            }

            include conf.d/*.conf;
        }

        """.Replace("\r", "", StringComparison.Ordinal);

    /// <summary>
    /// The portal: home page, install status, CA certificate, the repo at <c>/pigsty/</c>, and the proxied components. Everything
    /// asks for a login (users in <paramref name="passwordFile"/>) except what nodes fetch without one: the repo and the CA
    /// certificate; Grafana has its own login (nginx's would collide with its Authorization header).
    /// </summary>
    public static string RenderPortal(InfraSettings settings, string certificatePath, string keyPath, string passwordFile = PortalPasswords.Path)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): the portal http(s)://").Append(settings.PortalDomain)
            .Append("/ on ").Append(settings.Hostname).Append(" @ ").Append(settings.Address).Append('\n')
            .Append("server {\n")
            .Append("    listen ").Append(settings.NginxPort).Append(" default_server;\n")
            .Append("    listen ").Append(settings.NginxSslPort).Append(" ssl default_server;\n")
            .Append("    server_name ").Append(settings.PortalDomain).Append(' ').Append(settings.Hostname).Append(";\n")
            .Append("    ssl_certificate     ").Append(certificatePath).Append(";\n")
            .Append("    ssl_certificate_key ").Append(keyPath).Append(";\n\n")
            .Append("    root ").Append(NodeLayout.Www).Append(";\n")
            .Append("    index index.html;\n\n")
            .Append("    # a login for everything but the locations that say auth_basic off: the components behind it have none\n")
            .Append("    auth_basic \"Pigsty portal\";\n")
            .Append("    auth_basic_user_file ").Append(passwordFile).Append(";\n\n")
            .Append("    # headers for every proxied component below\n")
            .Append("    proxy_http_version 1.1;\n")
            .Append("    proxy_set_header Host $host;\n")
            .Append("    proxy_set_header X-Real-IP $remote_addr;\n")
            .Append("    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
            .Append("    proxy_set_header X-Forwarded-Proto $scheme;\n")
            .Append("    proxy_set_header Upgrade $http_upgrade;\n")
            .Append("    proxy_set_header Connection $connection_upgrade;\n")
            .Append("    proxy_read_timeout 300s;\n\n")
            .Append("    # install progress and result, written by the installer\n")
            .Append("    location = /status.json {\n")
            .Append("        alias ").Append(NodeLayout.StatusFile).Append(";\n")
            .Append("        default_type application/json;\n")
            .Append("        add_header Cache-Control no-store;\n")
            .Append("    }\n\n")
            .Append("    # the site CA: import it to trust https://").Append(settings.PortalDomain).Append("/\n")
            .Append("    location = /ca.crt {\n")
            .Append("        auth_basic off;\n")
            .Append("        alias ").Append(InfraSettings.CaCertificate).Append(";\n")
            .Append("        default_type application/x-x509-ca-cert;\n")
            .Append("    }\n\n")
            .Append("    # the local package repository (").Append(NodeLayout.Repo).Append("): apt source of every node\n")
            .Append("    # open: nodes install from it without a login (apt checks the repo's signature instead)\n")
            .Append("    location /pigsty/ {\n")
            .Append("        auth_basic off;\n")
            .Append("        autoindex on;\n")
            .Append("        autoindex_exact_size off;\n")
            .Append("        autoindex_localtime on;\n")
            .Append("    }\n");
        foreach (var endpoint in settings.Endpoints)
        {
            text.Append("\n    # ").Append(endpoint.Name).Append(": ").Append(endpoint.Description).Append('\n')
                .Append("    location ").Append(endpoint.Location).Append(" {\n")
                .Append(endpoint.OwnLogin ? "        auth_basic off;\n" : "")
                .Append("        proxy_pass ").Append(endpoint.Upstream).Append(";\n")
                .Append("    }\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>Where an <c>infra_portal</c> server goes: <c>conf.d/&lt;name&gt;.conf</c>.</summary>
    public static string ServerPath(PortalServer server) => $"/etc/nginx/conf.d/{server?.Name}.conf";

    /// <summary>An <c>infra_portal</c> entry's server: its domains on both ports with the portal certificate and login, proxying or serving a path.</summary>
    public static string RenderServer(InfraSettings settings, PortalServer server, string certificatePath, string keyPath, string passwordFile = PortalPasswords.Path)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(server);
        var text = new StringBuilder()
            .Append("# written by pigsty-appliance (INFRA): infra_portal.").Append(server.Name).Append(' ')
            .Append(string.Join(' ', server.Domains)).Append(" -> ").Append(server.Endpoint is { } e ? $"{server.Scheme}://{e}" : server.Path).Append('\n');
        if (server.Endpoint is { } endpoint)
        {
            text.Append("upstream ").Append(server.Name).Append(" {\n    server ").Append(endpoint).Append(" max_fails=0;\n}\n\n");
        }

        text.Append("server {\n")
            .Append("    listen ").Append(settings.NginxPort).Append(";\n")
            .Append("    listen ").Append(settings.NginxSslPort).Append(" ssl;\n")
            .Append("    server_name ").Append(string.Join(' ', server.Domains)).Append(";\n")
            .Append("    ssl_certificate     ").Append(certificatePath).Append(";\n")
            .Append("    ssl_certificate_key ").Append(keyPath).Append(";\n")
            .Append("    access_log /var/log/nginx/").Append(server.Name).Append(".log;\n\n")
            .Append("    # the portal's login: what an entry proxies (or serves) has none of its own that we know of\n")
            .Append("    auth_basic \"Pigsty portal\";\n")
            .Append("    auth_basic_user_file ").Append(passwordFile).Append(";\n\n")
            .Append("    location / {\n");
        if (server.Endpoint is not null)
        {
            text.Append("        proxy_pass ").Append(server.Scheme).Append("://").Append(server.Name).Append("/;\n")
                .Append("        proxy_set_header Host $host;\n")
                .Append("        proxy_set_header X-Real-Scheme $scheme;\n")
                .Append("        proxy_set_header X-Real-IP $remote_addr;\n")
                .Append("        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n")
                .Append("        proxy_connect_timeout 5;\n")
                .Append("        proxy_read_timeout 120s;\n")
                .Append("        proxy_buffering off;\n")
                .Append("        proxy_request_buffering off;\n");
            if (server.Websocket)
            {
                text.Append("        proxy_http_version 1.1;\n")
                    .Append("        proxy_set_header Upgrade $http_upgrade;\n")
                    .Append("        proxy_set_header Connection \"upgrade\";\n");
            }
        }
        else
        {
            text.Append("        root ").Append(server.Path).Append(";\n")
                .Append("        index index.html;\n")
                .Append("        autoindex on;\n");
        }

        return text.Append("    }\n}\n").ToString();
    }
}
