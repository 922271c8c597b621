namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>The kernel command line the appliance boots with.</summary>
public static class KernelCommandLine
{
    /// <summary>Console on the screen and on the first serial port; the last <c>console=</c> becomes /dev/console.</summary>
    public const string Consoles = "console=tty0 console=ttyS0,115200";

    /// <summary><c>root=UUID=… ro</c>, the consoles, then <paramref name="extra"/> (if any).</summary>
    public static string For(Guid rootFilesystemUuid, string? extra = null) =>
        $"root=UUID={rootFilesystemUuid:D} ro {Consoles}" + (string.IsNullOrWhiteSpace(extra) ? "" : " " + extra.Trim());
}
