namespace Pigsty.Appliance.Core.Contract;

/// <summary>The console login banner (/etc/issue): the image writes the first one, first boot rewrites it with the result.</summary>
public static class IssueBanner
{
    /// <summary>The first line, for agetty (<c>\n</c> = hostname, <c>\4</c> = IPv4 address).</summary>
    public const string Title = @"Pigsty appliance \n (\4) - Debian GNU/Linux 12";

    /// <summary>The banner an image boots with, until first boot writes its result.</summary>
    public static string BeforeFirstBoot { get; } =
        Render($"first boot in progress (follow it on this console, or: {NodeLayout.InstallerName} status)", "once first boot is done");

    /// <summary>The banner with the install state and the portal (or why there is none).</summary>
    public static string Render(string install, string portal) => $"""
        {Title}
        Install:     {install}
        Portal:      {portal}
        Credentials: {NodeLayout.CredentialsFile} (root only)
        Status:      {NodeLayout.StatusFile}, log {NodeLayout.InstallLog}


        """;
}
