using System.Globalization;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// What deploy checks on a host before it changes anything there, by reading only: the OS release (Debian 12, what the bundle is
/// built for) and the free space where the bundle and the installer go. A failed check refuses the host with the figures.
/// </summary>
public static class HostPreflight
{
    /// <summary>The one OS release a bundle's packages are built and proven for.</summary>
    public const string DebianId = "debian";

    /// <summary>Debian 12 (bookworm).</summary>
    public const string DebianVersion = "12";

    /// <summary>Refuses the host unless <paramref name="osRelease"/> says Debian 12.</summary>
    public static async Task CheckReleaseAsync(SshSession session, string osRelease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (code, text) = await session.CaptureAsync($"cat {Shell.Quote(osRelease)}", cancellationToken);
        var fields = code == 0 ? ParseOsRelease(text) : new Dictionary<string, string>(StringComparer.Ordinal);
        var id = fields.GetValueOrDefault("ID");
        var version = fields.GetValueOrDefault("VERSION_ID");
        if (id != DebianId || version != DebianVersion)
        {
            var says = code != 0 ? $"{osRelease} cannot be read ({text.Trim()})"
                : $"{osRelease} says {fields.GetValueOrDefault("PRETTY_NAME") ?? "nothing known"} (ID={id ?? "none"}, VERSION_ID={version ?? "none"})";
            throw new HostRefusedException(session.Target.Name,
                $"wrong OS release: {says}; the bundle is built for Debian {DebianVersion} (bookworm) only. Nothing was done on it");
        }
    }

    /// <summary>Refuses the host unless the filesystem that will hold /www has <paramref name="needed"/> bytes free.</summary>
    public static async Task CheckFreeSpaceAsync(SshSession session, long needed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (code, text) = await session.CaptureAsync("d=/www; [ -d \"$d\" ] || d=/; df --output=avail,target -B1 \"$d\" | tail -n 1", cancellationToken);
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (code != 0 || fields.Length < 2 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var free))
        {
            throw new HostRefusedException(session.Target.Name, $"cannot read the free disk space (df said: {text.Trim()}). Nothing was done on it");
        }

        if (free < needed)
        {
            throw new HostRefusedException(session.Target.Name,
                $"too little disk: {Gib(free)} free on {fields[1]}, deploy needs {Gib(needed)} (bundle, installer and the packages it installs). Nothing was done on it");
        }
    }

    /// <summary>os-release's KEY=value lines, values unquoted (os-release(5)).</summary>
    public static IReadOnlyDictionary<string, string> ParseOsRelease(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            fields[line[..equals].Trim()] = value;
        }

        return fields;
    }

    private static string Gib(long bytes) => (bytes / 1073741824.0).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
}
