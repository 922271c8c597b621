using System.Text.RegularExpressions;
using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>Reads one entry of a recipe's <c>binaries:</c> section; every mistake names file, line and field.</summary>
internal static partial class BinaryRecipeReader
{
    private static readonly string[] SourceKeys = ["github", "url", "file"];

    /// <summary>The component under <paramref name="entry"/>; relative <c>file</c> paths are anchored at the recipe's directory.</summary>
    public static BinarySpec Read(YamlEntry entry, string recipePath)
    {
        var name = RecipeLoader.Identifier(entry);
        if (!RecipeLoader.PackageName().IsMatch(name))
        {
            throw new InputException(new InputProblem(entry.KeyLocation, entry.Value.Path, $"'{name}' is not a valid Debian package name"));
        }

        var body = entry.Value.AsMapping();
        RecipeLoader.Keys(body, "enabled", "version", "github", "tag", "asset", "url", "file", "sha256", "install", "depends",
            "description", "homepage", "service");
        var versionValue = RecipeLoader.Required(body, "version");
        var version = versionValue.AsString();
        if (!DebianVersion.TryParse(version, out _) || !char.IsAsciiDigit(version[0]))
        {
            throw versionValue.Error($"'{version}' is not a Debian version starting with a digit (quote it, e.g. \"1.2.3\")");
        }

        var source = Source(body, Path.GetDirectoryName(Path.GetFullPath(recipePath))!);
        string? sha256 = null;
        if (body.Find("sha256") is { } shaValue)
        {
            sha256 = Checksums.IsSha256(shaValue.AsString())
                ? shaValue.AsString().ToLowerInvariant()
                : throw shaValue.Error($"'{shaValue.AsString()}' is not a SHA-256 (64 hex digits)");
        }

        var (fromArchive, files) = Install(body.Find("install"), name);
        var service = body.Find("service") is { } serviceValue ? Service(serviceValue, name, files[0].Target) : null;
        var depends = new List<string>();
        if (body.Find("depends") is { } dependsValue)
        {
            foreach (var item in dependsValue.AsSequence().Items)
            {
                depends.Add(Dependency().IsMatch(item.AsString())
                    ? item.AsString()
                    : throw item.Error($"'{item.AsString()}' is not a package name with an optional version, e.g. 'libc6 (>= 2.36)'"));
            }
        }

        // useradd and userdel come from passwd, which is required but not Essential: say so, as policy asks.
        if (service?.User is not null && !depends.Any(d => d.Split(' ')[0] == "passwd"))
        {
            depends.Add("passwd");
        }

        return new BinarySpec(name, version, source, sha256, fromArchive, files, depends,
            body.Find("description")?.AsString() ?? $"{name} (release binary)", body.Find("homepage")?.AsString(), service,
            body.Find("enabled")?.AsBool() ?? true);
    }

    private static BinarySource Source(YamlMapping body, string baseDirectory)
    {
        var given = SourceKeys.Where(k => body.Find(k) is not null).ToList();
        if (given.Count != 1)
        {
            throw body.Error(given.Count == 0
                ? "needs one source: 'github' (with 'tag' and 'asset'), 'url' or 'file'"
                : $"has {string.Join(" and ", given.Select(g => $"'{g}'"))}; give exactly one source");
        }

        if (given[0] != "github")
        {
            foreach (var key in new[] { "tag", "asset" }.Where(k => body.Find(k) is not null))
            {
                throw body.Find(key)!.Error($"'{key}' only applies to a 'github' source");
            }
        }

        switch (given[0])
        {
            case "github":
                var repoValue = body.Find("github")!;
                var repo = repoValue.AsString();
                var slash = repo.IndexOf('/', StringComparison.Ordinal);
                if (!GitHubRepository().IsMatch(repo))
                {
                    throw repoValue.Error($"'{repo}' is not OWNER/REPO");
                }

                var asset = RecipeLoader.Required(body, "asset").AsString();
                return new GitHubReleaseSource(repo[..slash], repo[(slash + 1)..], body.Find("tag")?.AsString() ?? GitHubReleaseSource.Latest, asset);
            case "url":
                var urlValue = body.Find("url")!;
                return Uri.TryCreate(urlValue.AsString(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Segments[^1].Length > 1
                    ? new UrlSource(uri)
                    : throw urlValue.Error($"'{urlValue.AsString()}' is not an http(s) URL of a file");
            default:
                var file = body.Find("file")!.AsString();
                return new LocalFileSource(Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(baseDirectory, file)));
        }
    }

    /// <summary>Absent: the asset is the binary, installed as /usr/bin/NAME; a path: the asset installed there;
    /// a list: archive members installed as /usr/bin/BASENAME; a mapping: archive member → path.</summary>
    private static (bool FromArchive, List<BinaryFile> Files) Install(YamlValue? value, string name)
    {
        switch (value)
        {
            case null:
                return (false, [new BinaryFile("", $"/usr/bin/{name}")]);
            case YamlScalar:
                return (false, [new BinaryFile("", Target(value))]);
            case YamlSequence sequence:
                var members = sequence.Items.Select(i => new BinaryFile(Member(i), "/usr/bin/" + Path.GetFileName(i.AsString()))).ToList();
                return (true, Unique(members, sequence));
            default:
                var mapping = value.AsMapping();
                var files = mapping.Entries.Select(e => new BinaryFile(Member(new YamlScalar(e.KeyLocation, e.Value.Path, e.Key, false)), Target(e.Value))).ToList();
                return (true, Unique(files, mapping));
        }
    }

    private static List<BinaryFile> Unique(List<BinaryFile> files, YamlValue where)
    {
        if (files.Count == 0)
        {
            throw where.Error("lists no files to install");
        }

        var twice = files.GroupBy(f => f.Target, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? files : throw where.Error($"installs two files as {twice.Key}");
    }

    private static string Member(YamlValue value)
    {
        var member = value.AsString();
        while (member.StartsWith("./", StringComparison.Ordinal))
        {
            member = member[2..];
        }

        return member.Length > 0 && !member.StartsWith('/') && !member.Split('/').Contains("..")
            ? member
            : throw value.Error($"'{value.AsString()}' is not a file name or relative path inside the archive");
    }

    private static string Target(YamlValue value)
    {
        var target = value.AsString();
        return InstallPath().IsMatch(target) && !target.Split('/').Contains("..") && !target.StartsWith("/etc/", StringComparison.Ordinal)
            ? target
            : throw value.Error($"'{target}' is not an absolute install path outside /etc (e.g. /usr/bin/tool)");
    }

    private static ServiceSpec Service(YamlValue value, string name, string binary)
    {
        var body = value.AsMapping();
        RecipeLoader.Keys(body, "unit", "description", "args", "environment_file", "user", "home");
        var unit = body.Find("unit")?.AsString() ?? $"{name}.service";
        if (!UnitName().IsMatch(unit))
        {
            throw body.Find("unit")!.Error($"'{unit}' is not a unit file name ending in .service");
        }

        string? user = null;
        if (body.Find("user") is { } userValue)
        {
            user = UserName().IsMatch(userValue.AsString())
                ? userValue.AsString()
                : throw userValue.Error($"'{userValue.AsString()}' is not a system user name (lowercase letters, digits, '-', '_')");
        }

        string? environment = null;
        if (body.Find("environment_file") is { } environmentValue)
        {
            environment = Path.IsPathRooted(environmentValue.AsString().TrimStart('-'))
                ? environmentValue.AsString()
                : throw environmentValue.Error($"'{environmentValue.AsString()}' is not an absolute path (a leading '-' makes it optional)");
        }

        var home = body.Find("home") is { } homeValue ? Target(homeValue) : "/nonexistent";
        var args = body.Find("args")?.AsString();
        if (args is not null && args.Contains('\n', StringComparison.Ordinal))
        {
            throw body.Find("args")!.Error("must be one line");
        }

        var execStart = string.IsNullOrWhiteSpace(args) ? binary : $"{binary} {args.Trim()}";
        return new ServiceSpec(unit, body.Find("description")?.AsString() ?? name, execStart, environment, user == "root" ? null : user, home);
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex GitHubRepository();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.+-]+( \((<<|<=|=|>=|>>) [A-Za-z0-9.+~:-]+\))?$")]
    private static partial Regex Dependency();

    [GeneratedRegex("^/[A-Za-z0-9._/+-]+$")]
    private static partial Regex InstallPath();

    [GeneratedRegex(@"^[A-Za-z0-9_.@:-]+\.service$")]
    private static partial Regex UnitName();

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();
}
