using System.Globalization;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Installer.Run;

/// <summary>Progress lines for people: to stdout (the serial console under systemd) and appended to the install log.</summary>
public sealed class InstallLog(TextWriter console, TimeProvider time, string path = NodeLayout.InstallLog)
{
    private readonly object _gate = new();

    /// <summary>Writes one line to the console and the log file.</summary>
    public void Line(string text)
    {
        lock (_gate)
        {
            console.WriteLine(text);
            console.Flush();
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.AppendAllText(path, time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) + " " + text + "\n");
        }
    }
}
