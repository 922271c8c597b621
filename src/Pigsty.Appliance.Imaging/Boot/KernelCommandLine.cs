namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>The kernel command line the appliance boots with.</summary>
public static class KernelCommandLine
{
    /// <summary>Console on the screen and on the first serial port; the last <c>console=</c> becomes /dev/console.</summary>
    public const string Consoles = "console=tty0 console=ttyS0,115200";

    /// <summary><c>root=UUID=… ro</c>, the consoles (default: tty0 and ttyS0), then <paramref name="extra"/> (if any).</summary>
    public static string For(Guid rootFilesystemUuid, string? extra = null, string consoles = Consoles) =>
        $"root=UUID={rootFilesystemUuid:D} ro {consoles}" + (string.IsNullOrWhiteSpace(extra) ? "" : " " + extra.Trim());
}
