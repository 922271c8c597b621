using System.Globalization;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// What deploy checks on a host before it changes anything there, by reading only: the OS release (the one the bundle is built
/// for) and the free space where the bundle and the installer go. A failed check refuses the host with the figures.
/// </summary>
public static class HostPreflight
{
    /// <summary>os-release's ID of every release a bundle is built for.</summary>
    public const string DebianId = "debian";

    /// <summary>
    /// Refuses the host unless <paramref name="osRelease"/> says the bundle's release: ID debian, VERSION_ID its number and, when
    /// the file has one, VERSION_CODENAME its suite.
    /// </summary>
    public static async Task CheckReleaseAsync(SshSession session, string osRelease, TargetPlatform platform, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(platform);
        var (code, text) = await session.CaptureAsync($"cat {Shell.Quote(osRelease)}", cancellationToken);
        var fields = code == 0 ? ParseOsRelease(text) : new Dictionary<string, string>(StringComparer.Ordinal);
        if (ReleaseProblem(fields, platform) is { } mismatch)
        {
            var says = code != 0 ? $"{osRelease} cannot be read ({text.Trim()})" : $"{osRelease} says {mismatch}";
            throw new HostRefusedException(session.Target.Name,
                $"wrong OS release: {says}; the bundle is built for Debian {platform.Release} ({platform.Codename}, os {platform.Os}) only. Nothing was done on it");
        }
    }

    /// <summary>What the os-release <paramref name="fields"/> say when they are not <paramref name="platform"/>'s release; null when they are.</summary>
    public static string? ReleaseProblem(IReadOnlyDictionary<string, string> fields, TargetPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(platform);
        var id = fields.GetValueOrDefault("ID");
        var version = fields.GetValueOrDefault("VERSION_ID");
        var codename = fields.GetValueOrDefault("VERSION_CODENAME");
        var release = platform.Release.ToString(CultureInfo.InvariantCulture);
        return id == DebianId && version == release && (codename is null || codename == platform.Codename) ? null
            : $"{fields.GetValueOrDefault("PRETTY_NAME") ?? "nothing known"} (ID={id ?? "none"}, VERSION_ID={version ?? "none"}, VERSION_CODENAME={codename ?? "none"})";
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
