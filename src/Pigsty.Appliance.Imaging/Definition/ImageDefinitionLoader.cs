using System.Globalization;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>Reads an image definition (images/*.yml); every mistake names file, line and field.</summary>
public static partial class ImageDefinitionLoader
{
    /// <summary>The image built when none is named.</summary>
    public const string DefaultName = "appliance-d12";

    private static readonly string[] KnownFormats = ["raw", "qcow2", "vmdk", "vhdx"];

    /// <summary>Reads and validates a definition file; <paramref name="modules"/> are the modules <c>preinstall:</c> may name.</summary>
    public static async Task<ImageDefinition> LoadAsync(string path, IReadOnlyList<ImageModule> modules, CancellationToken cancellationToken)
    {
        var definition = Build(await YamlReader.LoadAsync(path, cancellationToken), path, modules);
        if (definition.Seed is { } seed)
        {
            await CheckSeedAsync(seed, path, cancellationToken);
        }

        return definition;
    }

    /// <summary>
    /// The seed goes into every image as the node's inventory when no seed volume is attached: it must exist and load as one, or each
    /// node built from the image would fail at first boot instead of the build failing here.
    /// </summary>
    private static async Task CheckSeedAsync(string seed, string definition, CancellationToken cancellationToken)
    {
        if (!File.Exists(seed))
        {
            throw new InputException(definition, $"seed: {seed} does not exist");
        }

        Core.Inventory.InventoryLoader.Parse(await File.ReadAllTextAsync(seed, cancellationToken), seed);
    }

    /// <summary>Parses definition text; <paramref name="source"/> anchors the relative seed path and names errors.</summary>
    public static ImageDefinition Parse(string text, string source, IReadOnlyList<ImageModule> modules) => Build(YamlReader.Parse(text, source), source, modules);

    /// <summary>Parses a size such as <c>8GiB</c>, <c>256MiB</c> or a byte count.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text ?? "");
        if (!match.Success)
        {
            return false;
        }

        var unit = match.Groups[2].Value switch { "" => 1L, "KiB" => 1L << 10, "MiB" => 1L << 20, "GiB" => 1L << 30, _ => 1L << 40 };
        if (!long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > long.MaxValue / unit)
        {
            return false;
        }

        bytes = count * unit;
        return true;
    }

    private static ImageDefinition Build(YamlValue root, string source, IReadOnlyList<ImageModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var top = root.AsMapping();
        foreach (var entry in top.Entries.Where(e => !Keys.Contains(e.Key)))
        {
            throw new InputException(new InputProblem(entry.KeyLocation, entry.Value.Path, $"unknown key '{entry.Key}' (expected {string.Join(", ", Keys)})"));
        }

        var disk = Size(Required(top, "disk_size"));
        var esp = Size(Required(top, "esp_size"));
        if (disk < esp + (512L << 20))
        {
            throw Required(top, "disk_size").Error($"the disk must hold the ESP ({esp >> 20} MiB) and at least 512 MiB of root");
        }

        var kernel = Required(top, "kernel");
        var firstBoot = top.Find("firstboot") is not { } flag || flag.AsBool();
        var seed = top.Find("seed");
        // A plain image has no first boot to read a seed or to configure preinstalled packages: naming either is a mistake, not a no-op.
        if (!firstBoot && seed is not null)
        {
            throw seed.Error("a plain image (firstboot: false) has no first boot to read a seed: leave seed out");
        }

        var seedPath = firstBoot ? SeedPath(Required(top, "seed"), source) : null;
        var preinstalled = top.Find("preinstall") is { } preinstall
            ? OneOf(preinstall, modules.Select(m => m.Name).ToArray(), allowEmpty: true).Select(n => modules.First(m => m.Name == n)).ToList()
            : [];
        if (!firstBoot && preinstalled.Count > 0)
        {
            throw top.Find("preinstall")!.Error("a plain image (firstboot: false) cannot preinstall modules: their services stay masked until a first boot "
                + "configures them; deploy installs the packages from the bundle instead");
        }

        var adminUser = top.Find("admin_user") is { } user ? UserName(user) : null;
        var keys = top.Find("authorized_keys") is { } list ? AuthorizedKeys(list) : [];
        if (adminUser is null && keys.Count > 0)
        {
            throw top.Find("authorized_keys")!.Error("authorized keys need an admin_user to log in as");
        }

        return new ImageDefinition(
            Name(Required(top, "name")),
            Name(Required(top, "recipe")),
            Name(Required(top, "base_group")),
            kernel.AsString() is "default" or "cloud" ? kernel.AsString() : throw kernel.Error($"unknown kernel '{kernel.AsString()}' (expected default or cloud)"),
            disk,
            esp,
            OneOf(Required(top, "firmware"), ["uefi", "bios"]).Select(f => f == "uefi" ? Firmware.Uefi : Firmware.Bios).ToList(),
            OneOf(Required(top, "formats"), KnownFormats),
            Hostname(Required(top, "hostname")),
            Required(top, "locale").AsString(),
            Required(top, "timezone").AsString(),
            Required(top, "consoles").AsSequence().Items.Select(i => i.AsString()).ToList(),
            seedPath,
            preinstalled,
            source)
        {
            FirstBoot = firstBoot,
            AdminUser = adminUser,
            AuthorizedKeys = keys,
        };
    }

    private static readonly string[] Keys =
    [
        "name", "recipe", "base_group", "kernel", "disk_size", "esp_size", "firmware", "formats", "hostname", "locale", "timezone", "consoles", "seed", "preinstall",
        "firstboot", "admin_user", "authorized_keys",
    ];

    /// <summary>A user name useradd accepts on Debian, and not root (whose login the appliance forbids) nor an account Debian's base has.</summary>
    private static string UserName(YamlValue value)
    {
        var name = value.AsString();
        if (!UserPattern().IsMatch(name))
        {
            throw value.Error($"'{name}' is not a user name (lower-case letters, digits, '_' and '-', starting with a letter or '_', at most 32)");
        }

        return ReservedUsers.Contains(name) ? throw value.Error($"'{name}' is a system account of Debian's base: name a user of its own") : name;
    }

    private static readonly string[] ReservedUsers =
    [
        "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup", "list", "irc", "_apt",
        "nobody", "systemd-network", "systemd-resolve", "systemd-timesync", "messagebus", "sshd",
    ];

    private static List<string> AuthorizedKeys(YamlValue value)
    {
        var keys = new List<string>();
        foreach (var item in value.AsSequence().Items)
        {
            var line = item.AsString().Trim();
            if (AuthorizedKey.Problem(line) is { } problem)
            {
                throw item.Error(problem);
            }

            keys.Add(line);
        }

        return keys;
    }

    /// <summary>The seed is a .yml inside the definition's folder: a definition must not embed any file of the build host in the image.</summary>
    private static string SeedPath(YamlValue value, string source)
    {
        var seed = value.AsString();
        var folder = Path.GetDirectoryName(Path.GetFullPath(source))!;
        var full = Path.GetFullPath(Path.Combine(folder, seed));
        if (seed.Length == 0 || Path.IsPathRooted(seed) || !full.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw value.Error($"'{seed}' must be a relative path inside the definition's folder {folder}");
        }

        return full.EndsWith(".yml", StringComparison.Ordinal) || full.EndsWith(".yaml", StringComparison.Ordinal)
            ? full
            : throw value.Error($"'{seed}' is not a seed inventory (expected a .yml or .yaml file)");
    }

    private static YamlValue Required(YamlMapping mapping, string key) => mapping.Find(key) ?? throw mapping.Error($"missing '{key}'");

    private static long Size(YamlValue value) =>
        TryParseSize(value.AsString(), out var bytes) && bytes > 0
            ? bytes
            : throw value.Error($"'{value.AsString()}' is not a size (e.g. 8GiB, 256MiB)");

    private static List<string> OneOf(YamlValue value, string[] allowed, bool allowEmpty = false)
    {
        var items = new List<string>();
        foreach (var item in value.AsSequence().Items)
        {
            var text = item.AsString();
            if (!allowed.Contains(text))
            {
                throw item.Error($"unknown value '{text}' (expected one of {string.Join(", ", allowed)})");
            }

            if (items.Contains(text))
            {
                throw item.Error($"'{text}' is listed twice");
            }

            items.Add(text);
        }

        return items.Count > 0 || allowEmpty ? items : throw value.Error("expected at least one entry");
    }

    private static string Name(YamlValue value) =>
        NamePattern().IsMatch(value.AsString()) ? value.AsString() : throw value.Error($"'{value.AsString()}' is not a valid name");

    private static string Hostname(YamlValue value) =>
        HostnamePattern().IsMatch(value.AsString()) ? value.AsString() : throw value.Error($"'{value.AsString()}' is not a valid host name");

    [GeneratedRegex("^([0-9]+)(KiB|MiB|GiB|TiB)?$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex HostnamePattern();
}
