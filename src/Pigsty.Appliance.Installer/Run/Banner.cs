using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>The console login banner (/etc/issue): install result, portal URL, where the credentials and status are.</summary>
public static class Banner
{
    /// <summary>
    /// Renders /etc/issue for agetty (<c>\n</c> = hostname, <c>\4</c> = IPv4 address); <paramref name="platform"/> is the bundle's
    /// target (<see cref="Node.RepoCatalog.Platform"/>), null when the run failed before it could read it.
    /// </summary>
    public static string Render(InstallStatus status, TargetPlatform? platform)
    {
        ArgumentNullException.ThrowIfNull(status);
        var result = status.State switch
        {
            "done" => "done",
            "failed" => $"FAILED{(status.FailedStep is null ? "" : $" at step {status.FailedStep}")}: {FirstLine(status.Error)}",
            _ => $"in progress ({status.Phase})",
        };
        return IssueBanner.Render(platform, result, status.Portal is null ? "n/a on this node" : $"{status.Portal} (login: the seed's nginx_users, else admin with nginx_admin_password)");
    }

    private static string FirstLine(string? text) => text?.Split('\n')[0] ?? "unknown error";
}
