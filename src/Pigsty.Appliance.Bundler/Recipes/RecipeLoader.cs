using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>Reads a recipe YAML file; every mistake is reported with file, line and field.</summary>
public static partial class RecipeLoader
{
    /// <summary>The recipe used when none is named.</summary>
    public const string DefaultName = "pigsty-d12";

    private const string DebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private const string HostPrefix = "host:";

    /// <summary>A recipe by name (<c>recipes/NAME.yml</c> under <paramref name="recipesDirectory"/>) or by path.</summary>
    public static string Locate(string nameOrPath, string recipesDirectory)
    {
        ArgumentNullException.ThrowIfNull(nameOrPath);
        if (nameOrPath.EndsWith(".yml", StringComparison.Ordinal) || nameOrPath.EndsWith(".yaml", StringComparison.Ordinal)
            || nameOrPath.Contains('/', StringComparison.Ordinal))
        {
            return nameOrPath;
        }

        return Path.Combine(recipesDirectory, nameOrPath + ".yml");
    }

    /// <summary>Reads and validates a recipe file.</summary>
    public static async Task<Recipe> LoadAsync(string path, CancellationToken cancellationToken) =>
        Build(await YamlReader.LoadAsync(path, cancellationToken), path);

    /// <summary>Parses recipe text; <paramref name="source"/> names it in errors and anchors relative keyring paths.</summary>
    public static Recipe Parse(string text, string source) => Build(YamlReader.Parse(text, source), source);

    private static Recipe Build(YamlValue root, string source)
    {
        var top = root.AsMapping();
        Keys(top, "name", "os", "arch", "include_required", "upstreams", "groups", "binaries");
        var name = Identifier(Required(top, "name"));
        var upstreams = Required(top, "upstreams").AsMapping().Entries.Select(e => Upstream(e, source)).ToList();
        if (!upstreams.Any(u => u.Enabled))
        {
            throw Required(top, "upstreams").Error("at least one upstream must be enabled");
        }

        var groups = Required(top, "groups").AsMapping().Entries.Select(Group).ToList();
        if (groups.Count == 0)
        {
            throw Required(top, "groups").Error("a recipe needs at least one package group");
        }

        var binaries = top.Find("binaries") is { } section
            ? section.AsMapping().Entries.Select(e => BinaryRecipeReader.Read(e, source)).ToList()
            : [];
        return new Recipe(name, Os(Required(top, "os")), Identifier(Required(top, "arch")),
            top.Find("include_required")?.AsBool() ?? true, upstreams, groups, source)
        {
            Binaries = binaries,
        };
    }

    /// <summary>The target a bundle is built for: one the installer has a profile of, or every node would refuse the bundle.</summary>
    private static string Os(YamlValue value)
    {
        var os = value.AsString();
        return TargetPlatform.Find(os) is not null ? os : throw value.Error(
            $"unknown os '{os}' (expected one of {string.Join(", ", TargetPlatform.All.Select(p => $"{p.Os} = Debian {p.Release} {p.Codename}"))})");
    }

    private static UpstreamSpec Upstream(YamlEntry entry, string source)
    {
        var body = entry.Value.AsMapping();
        Keys(body, "url", "suites", "components", "keyring", "enabled");
        var url = Required(body, "url");
        Uri? uri = null;
        string? hostSuite = null;
        if (url.AsString().StartsWith(HostPrefix, StringComparison.Ordinal))
        {
            hostSuite = url.AsString()[HostPrefix.Length..];
            if (!SuiteName().IsMatch(hostSuite))
            {
                throw url.Error($"'{url.AsString()}': after 'host:' comes the suite whose mirror the build host's apt sources name, e.g. host:bookworm");
            }
        }
        else if (url.AsString() != "host")
        {
            uri = Uri.TryCreate(url.AsString(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "file"
                ? new Uri(parsed.AbsoluteUri.TrimEnd('/') + "/")
                : throw url.Error($"'{url.AsString()}' is neither 'host', 'host:<suite>' nor an http(s) or file URL");
        }

        var keyring = body.Find("keyring")?.AsString() ?? DebianKeyring;
        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(source))!;
        return new UpstreamSpec(Identifier(entry), uri, Strings(Required(body, "suites")), Strings(Required(body, "components")),
            Path.IsPathRooted(keyring) ? keyring : Path.Combine(baseDirectory, keyring),
            body.Find("enabled")?.AsBool() ?? true) { HostSuite = hostSuite };
    }

    private static PackageGroup Group(YamlEntry entry)
    {
        var body = entry.Value.AsMapping();
        Keys(body, "packages", "recommends");
        var packages = Required(body, "packages").AsSequence();
        var names = new List<string>();
        foreach (var item in packages.Items)
        {
            var package = item.AsString();
            if (!PackageName().IsMatch(package))
            {
                throw item.Error($"'{package}' is not a valid Debian package name");
            }

            if (names.Contains(package))
            {
                throw item.Error($"'{package}' is listed twice in group '{entry.Key}'");
            }

            names.Add(package);
        }

        if (names.Count == 0)
        {
            throw packages.Error($"group '{entry.Key}' lists no packages");
        }

        return new PackageGroup(Identifier(entry), names, body.Find("recommends")?.AsBool() ?? false);
    }

    internal static YamlValue Required(YamlMapping mapping, string key) =>
        mapping.Find(key) ?? throw mapping.Error($"missing '{key}'");

    internal static List<string> Strings(YamlValue value)
    {
        var items = value.AsSequence().Items.Select(i => i.AsString()).ToList();
        return items.Count > 0 ? items : throw value.Error("expected at least one entry");
    }

    internal static string Identifier(YamlValue value)
    {
        var text = value.AsString();
        return IdentifierPattern().IsMatch(text) ? text : throw value.Error($"'{text}' is not a valid name (lowercase letters, digits, '-', '.')");
    }

    internal static string Identifier(YamlEntry entry) =>
        IdentifierPattern().IsMatch(entry.Key)
            ? entry.Key
            : throw new InputException(new InputProblem(entry.KeyLocation, entry.Value.Path, $"'{entry.Key}' is not a valid name (lowercase letters, digits, '-', '.')"));

    internal static void Keys(YamlMapping mapping, params string[] allowed)
    {
        foreach (var entry in mapping.Entries.Where(e => !allowed.Contains(e.Key)))
        {
            throw new InputException(new InputProblem(entry.KeyLocation, entry.Value.Path,
                $"unknown key '{entry.Key}' (expected {string.Join(", ", allowed)})"));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.+-]+$")]
    internal static partial Regex PackageName();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._/-]*$")]
    private static partial Regex SuiteName();
}
