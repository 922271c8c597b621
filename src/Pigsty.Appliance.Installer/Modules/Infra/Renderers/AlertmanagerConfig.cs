namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>Alertmanager's routing: everything to one receiver without integrations, CRIT alerts silencing their WARN ones.</summary>
public static class AlertmanagerConfig
{
    public const string Path = "/etc/pigsty/alertmanager.yml";

    /// <summary>
    /// The configuration. An offline site has no mail server or chat to send to, so the default receiver only collects
    /// alerts (visible at /alertmgr/ and with amtool); add email or webhook settings to it for notifications.
    /// </summary>
    public static string Render() =>
        """
        # written by pigsty-appliance (INFRA): alert routing.
        # The default receiver has no integrations (an offline site has nowhere to send to): alerts are visible through
        # https://i.pigsty/alertmgr/api/v2/alerts and `amtool --alertmanager.url=http://127.0.0.1:9059 alert`.
        # Add email_configs or webhook_configs under the receiver to be notified.
        global:
          resolve_timeout: 5m

        route:
          receiver: default
          group_by: [alertname, cls, ins]
          group_wait: 30s
          group_interval: 5m
          repeat_interval: 4h

        receivers:
          - name: default

        inhibit_rules:
          # a CRIT alert on an instance silences the WARN alerts of the same name there (Pigsty's severities: CRIT, WARN, INFO)
          - source_matchers: [severity="CRIT"]
            target_matchers: [severity="WARN"]
            equal: [alertname, instance]

        """;
}
