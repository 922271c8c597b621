namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>blackbox_exporter's probe modules: ICMP for node reachability, TCP and HTTP(S) for services and VIPs.</summary>
public static class BlackboxConfig
{
    public const string Path = "/etc/pigsty/blackbox.yml";

    /// <summary>The modules; HTTPS probes trust the site CA.</summary>
    public static string Render() =>
        """
        # written by pigsty-appliance (INFRA): probe modules of blackbox_exporter (job ping uses icmp)
        modules:
          icmp:
            prober: icmp
            timeout: 5s
            icmp:
              preferred_ip_protocol: ip4
          tcp_connect:
            prober: tcp
            timeout: 5s
            tcp:
              preferred_ip_protocol: ip4
          http_2xx:
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
          https_2xx:
            prober: http
            timeout: 5s
            http:
              preferred_ip_protocol: ip4
              fail_if_not_ssl: true
              tls_config:
                ca_file: /etc/pki/ca.crt

        """;
}
