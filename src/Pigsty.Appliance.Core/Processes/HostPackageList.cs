using System.Text.Json;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Processes;

/// <summary>
/// The one list of build host packages, <c>build/host-packages.json</c>, embedded from the build folder: the Prerequisites
/// target installs from the same file, so the package a missing program names is the package that gets installed.
/// </summary>
public static class HostPackageList
{
    /// <summary>The file's path in the repository.</summary>
    public const string File = "build/host-packages.json";

    /// <summary>The categories, in the order the file explains them; Prerequisites installs all but boot-test.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["build", "image", "test", "boot-test"];

    private static readonly Lazy<IReadOnlyList<HostPackage>> Embedded = new(Load);

    private static readonly Lazy<IReadOnlyDictionary<string, HostPackage>> ByProgram = new(
        () => All.SelectMany(p => p.Programs.Select(program => (program, p))).ToDictionary(e => e.program, e => e.p, StringComparer.Ordinal));

    /// <summary>Every package of the list, in file order.</summary>
    public static IReadOnlyList<HostPackage> All => Embedded.Value;

    /// <summary>The package whose listed programs include <paramref name="program"/> (a file name or a path), or null.</summary>
    public static HostPackage? ProviderOf(string program) => ByProgram.Value.GetValueOrDefault(Path.GetFileName(program));

    /// <summary>Reads the list; every problem (duplicates, empty reasons, unknown categories) is reported with its entry.</summary>
    public static IReadOnlyList<HostPackage> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InputException(File, $"not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("packages", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new InputException(File, "expected an object with a \"packages\" array");
            }

            var problems = new List<InputProblem>();
            var packages = new List<HostPackage>();
            var owners = new Dictionary<string, string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var field = $"packages[{index++}]";
                void Problem(string message) => problems.Add(new InputProblem(new SourceLocation(File, 0, 0), field, message));
                var name = Text(entry, "name");
                var category = Text(entry, "category");
                var reason = Text(entry, "reason");
                var programs = Programs(entry);
                field = name.Length > 0 ? $"{field} ({name})" : field;
                if (name.Length == 0)
                {
                    Problem("needs a \"name\": the Debian package");
                }
                else if (packages.Any(p => p.Name == name))
                {
                    Problem($"package '{name}' is listed twice");
                }

                if (!Categories.Contains(category, StringComparer.Ordinal))
                {
                    Problem($"category '{category}' is none of {string.Join(", ", Categories)}");
                }

                if (string.IsNullOrWhiteSpace(reason))
                {
                    Problem("needs a \"reason\": what of ours needs the package");
                }

                if (programs is null)
                {
                    Problem("needs \"programs\": an array of the program names we run (empty when we run none)");
                }

                foreach (var program in programs ?? [])
                {
                    if (program.Length == 0 || program.Contains('/', StringComparison.Ordinal))
                    {
                        Problem($"program '{program}' must be a file name");
                    }
                    else if (!owners.TryAdd(program, name))
                    {
                        Problem($"program '{program}' is already listed under '{owners[program]}'");
                    }
                }

                packages.Add(new HostPackage(name, category, reason, programs ?? []));
            }

            return problems.Count > 0 ? throw new InputException(problems) : packages;
        }
    }

    private static string Text(JsonElement entry, string property) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim()
            : "";

    private static List<string>? Programs(JsonElement entry) =>
        entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("programs", out var value) && value.ValueKind == JsonValueKind.Array
        && value.EnumerateArray().All(p => p.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(p => p.GetString()!).ToList()
            : null;

    private static IReadOnlyList<HostPackage> Load()
    {
        using var stream = typeof(HostPackageList).Assembly.GetManifestResourceStream("host-packages.json")
            ?? throw new InvalidOperationException($"{File} is not embedded in {typeof(HostPackageList).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
