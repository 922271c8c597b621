namespace Pigsty.Appliance.Core.Contract;

/// <summary>The console login banner (/etc/issue): the image writes the first one, first boot rewrites it with the result.</summary>
public static class IssueBanner
{
    /// <summary>
    /// The first line, for agetty (<c>\n</c> = hostname, <c>\4</c> = IPv4 address), naming the Debian release the bundle targets;
    /// without it when <paramref name="platform"/> is null (a node whose bundle manifest could not be read).
    /// </summary>
    public static string Title(TargetPlatform? platform) =>
        @"Pigsty appliance \n (\4)" + (platform is null ? "" : $" - {platform.PrettyName}");

    /// <summary>The banner an image of <paramref name="platform"/> boots with, until first boot writes its result.</summary>
    public static string BeforeFirstBoot(TargetPlatform platform) =>
        Render(platform, $"first boot in progress (follow it on this console, or: {NodeLayout.InstallerName} status)", "once first boot is done");

    /// <summary>The banner with the install state and the portal (or why there is none).</summary>
    public static string Render(TargetPlatform? platform, string install, string portal) => $"""
        {Title(platform)}
        Install:     {install}
        Portal:      {portal}
        Credentials: {NodeLayout.CredentialsFile} (root only)
        Status:      {NodeLayout.StatusFile}, log {NodeLayout.InstallLog}


        """;
}
