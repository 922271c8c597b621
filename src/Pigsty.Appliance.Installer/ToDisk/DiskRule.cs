using System.Globalization;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>
/// The seed's <c>install_disk</c>: which disk the image goes onto. Every given part must match: the disk a path leads to,
/// the disk's serial, a size range.
/// </summary>
/// <param name="Path">A device path (<c>/dev/vda</c>, <c>/dev/disk/by-id/…</c>, <c>/dev/disk/by-path/…</c>), matched by the device it leads to.</param>
public sealed record DiskRule(string? Path, string? Serial, long? MinSize, long? MaxSize)
{
    /// <summary>The seed key the rule comes from.</summary>
    public const string Key = "install_disk";

    private static readonly string[] Keys = ["path", "serial", "min_size", "max_size"];

    private const string Forms = "a device path (/dev/vda, /dev/disk/by-id/…, /dev/disk/by-path/…) or a mapping of path, serial, min_size and max_size";

    /// <summary>
    /// Reads the value under <c>install_disk</c>: a string, or a mapping given as our YAML layer's <see cref="YamlMapping"/>
    /// or as a dictionary; <paramref name="source"/> is the seed file, named by every error.
    /// </summary>
    public static DiskRule Parse(object? value, string source)
    {
        var at = (value as YamlValue)?.Location ?? new SourceLocation(source, 0, 0);
        var entries = Entries(value);
        if (entries is null)
        {
            var text = Text(value) ?? throw Problem(at, Key, $"expected {Forms}, got {Kind(value)}");
            return new DiskRule(DevPath(text, at, Key), null, null, null);
        }

        if (entries.Count == 0)
        {
            throw Problem(at, Key, $"the mapping is empty: give {string.Join(", ", Keys)}");
        }

        string? path = null, serial = null;
        long? minSize = null, maxSize = null;
        foreach (var (key, keyAt, entry) in entries)
        {
            var field = $"{Key}.{key}";
            var where = (entry as YamlValue)?.Location ?? keyAt ?? at;
            var text = Text(entry) ?? throw Problem(where, field, $"expected a string, got {Kind(entry)}");
            switch (key)
            {
                case "path":
                    path = DevPath(text, where, field);
                    break;
                case "serial":
                    serial = text.Trim();
                    break;
                case "min_size":
                    minSize = Size(text, where, field);
                    break;
                case "max_size":
                    maxSize = Size(text, where, field);
                    break;
                default:
                    throw Problem(keyAt ?? at, field, $"unknown key '{key}': {Key} takes {string.Join(", ", Keys)}");
            }
        }

        return minSize > maxSize
            ? throw Problem(at, Key, $"min_size {DiskSize.Format(minSize.Value)} is above max_size {DiskSize.Format(maxSize.Value)}: no disk can match")
            : new DiskRule(path, serial, minSize, maxSize);
    }

    /// <summary>True when the disk matches every part of the rule; <paramref name="deviceName"/> says which device a path leads to.</summary>
    public bool Matches(BlockDisk disk, Func<string, string?> deviceName)
    {
        ArgumentNullException.ThrowIfNull(disk);
        ArgumentNullException.ThrowIfNull(deviceName);
        return (Path is null || deviceName(Path) == disk.Name)
            && (Serial is null || Serial == disk.Serial)
            && (MinSize is null || disk.SizeBytes >= MinSize)
            && (MaxSize is null || disk.SizeBytes <= MaxSize);
    }

    /// <summary>The rule for messages: <c>serial ABC, min_size 32 GiB</c>.</summary>
    public string Describe()
    {
        List<string> parts = [];
        if (Path is not null)
        {
            parts.Add($"path {Path}");
        }

        if (Serial is not null)
        {
            parts.Add($"serial {Serial}");
        }

        if (MinSize is not null)
        {
            parts.Add($"min_size {DiskSize.Format(MinSize.Value)}");
        }

        if (MaxSize is not null)
        {
            parts.Add($"max_size {DiskSize.Format(MaxSize.Value)}");
        }

        return string.Join(", ", parts);
    }

    /// <summary>The mapping's keys and values in order, or null when the value is not a mapping.</summary>
    private static List<(string Key, SourceLocation? KeyAt, object? Value)>? Entries(object? value) => value switch
    {
        YamlMapping mapping => [.. mapping.Entries.Select(e => (e.Key, (SourceLocation?)e.KeyLocation, (object?)e.Value))],
        IDictionary<string, object?> map => [.. map.Select(e => (e.Key, (SourceLocation?)null, e.Value))],
        IDictionary<object, object?> map => [.. map.Select(e => (Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? "", (SourceLocation?)null, e.Value))],
        _ => null,
    };

    /// <summary>A scalar's text (a number counts, as YAML writes sizes in bytes unquoted), or null.</summary>
    private static string? Text(object? value) => value switch
    {
        YamlScalar { IsNull: false } scalar => scalar.Text,
        YamlValue => null,
        string text => text,
        long or int or ulong or uint => Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Kind(object? value) => value switch
    {
        null => "nothing",
        YamlValue yaml => yaml.Kind,
        System.Collections.IEnumerable => "a list",
        _ => value.GetType().Name,
    };

    private static string DevPath(string text, SourceLocation at, string field) =>
        text.StartsWith("/dev/", StringComparison.Ordinal) && text.Length > "/dev/".Length
            ? text
            : throw Problem(at, field, $"'{text}' is not a device path: give /dev/vda, /dev/disk/by-id/… or /dev/disk/by-path/…");

    private static long Size(string text, SourceLocation at, string field) =>
        DiskSize.TryParse(text, out var bytes)
            ? bytes
            : throw Problem(at, field, $"'{text}' is not a size: give e.g. 32GiB, 32G (also GiB), 500GB (decimal), 1TiB, 512MiB or a byte count");

    private static InputException Problem(SourceLocation at, string field, string message) => new(new InputProblem(at, field, message));
}
