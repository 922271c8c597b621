using System.Text;
using Pigsty.Appliance.Bundler.Recipes;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>The texts a binary package ships besides its binaries: the systemd unit and the maintainer scripts.</summary>
/// <remarks>The scripts create (postinst) and on purge remove (postrm) the service's system user, idempotently, and reload systemd only
/// when it is running (not in a chroot or image build); they never enable or start the service: the installer decides that.</remarks>
public static class PackageScripts
{
    /// <summary>Where unit files of packages go.</summary>
    public const string UnitDirectory = "/lib/systemd/system";

    /// <summary>The unit file for <paramref name="service"/>.</summary>
    public static string Unit(ServiceSpec service, string? homepage)
    {
        ArgumentNullException.ThrowIfNull(service);
        var text = new StringBuilder();
        text.Append("[Unit]\n").Append("Description=").Append(service.Description).Append('\n');
        if (homepage is not null)
        {
            text.Append("Documentation=").Append(homepage).Append('\n');
        }

        text.Append("Wants=network-online.target\nAfter=network-online.target\n\n[Service]\nType=simple\n");
        if (service.User is { } user)
        {
            text.Append("User=").Append(user).Append("\nGroup=").Append(user).Append('\n');
        }

        if (service.EnvironmentFile is { } environment)
        {
            text.Append("EnvironmentFile=").Append(environment).Append('\n');
        }

        text.Append("ExecStart=").Append(service.ExecStart).Append('\n')
            .Append("Restart=on-failure\nRestartSec=5\nLimitNOFILE=65536\n\n[Install]\nWantedBy=multi-user.target\n");
        return text.ToString();
    }

    /// <summary>postinst and postrm for a package with this service (none without one).</summary>
    public static IReadOnlyDictionary<string, string> For(ServiceSpec? service)
    {
        if (service is null)
        {
            return new Dictionary<string, string>();
        }

        var postinst = new StringBuilder("#!/bin/sh\nset -e\n");
        var postrm = new StringBuilder("#!/bin/sh\nset -e\n");
        if (service.User is { } user)
        {
            postinst.Append($$"""
                if [ "$1" = configure ] && ! getent passwd {{user}} >/dev/null; then
                    useradd --system --user-group --home-dir {{service.Home}} --no-create-home --shell /usr/sbin/nologin {{user}}
                fi

                """);
            postrm.Append($$"""
                if [ "$1" = purge ] && getent passwd {{user}} >/dev/null; then
                    userdel {{user}} >/dev/null 2>&1 || true
                fi
                if [ "$1" = purge ] && getent group {{user}} >/dev/null; then
                    groupdel {{user}} >/dev/null 2>&1 || true
                fi

                """);
        }

        const string reload = """
            if [ -d /run/systemd/system ]; then
                systemctl daemon-reload >/dev/null 2>&1 || true
            fi
            exit 0

            """;
        return new Dictionary<string, string> { ["postinst"] = postinst + reload, ["postrm"] = postrm + reload };
    }
}
