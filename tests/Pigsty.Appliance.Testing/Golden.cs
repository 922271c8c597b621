using System.Text;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// Compares rendered text with its checked-in golden file. <c>PIGSTY_UPDATE_GOLDEN=1</c> rewrites a golden that differs in the
/// source tree and then fails the test, so an update can never pass unseen; under <c>CI=true</c> it refuses to rewrite at all.
/// </summary>
public static class Golden
{
    /// <summary>The variable that asks for golden files to be rewritten.</summary>
    public const string UpdateVariable = "PIGSTY_UPDATE_GOLDEN";

    /// <summary>The runtime option tests/Directory.Build.props sets to the test project's source directory.</summary>
    public const string SourceDirectoryOption = "Pigsty.Appliance.Testing.SourceDirectory";

    /// <summary>Asserts <paramref name="actual"/> equals the golden file at <paramref name="relativePath"/> (from the test project's root, '/'-separated).</summary>
    public static void Assert(string actual, string relativePath) =>
        Check(actual, relativePath, TestData.Path(relativePath), Path.Combine(SourceDirectory(), relativePath), Environment.GetEnvironmentVariable);

    /// <summary>
    /// The decision itself, with the copy next to the test assembly (<paramref name="copy"/>), the file in the source tree
    /// (<paramref name="source"/>) and the environment given, so that it can be tested without changing this process's environment.
    /// </summary>
    public static void Check(string actual, string relativePath, string copy, string source, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(environment);
        Xunit.Assert.False(actual.Contains('\r', StringComparison.Ordinal), $"{relativePath}: rendered text must use \\n line endings");
        if (environment(UpdateVariable) == "1")
        {
            // A CI job that exported the variable would otherwise turn every golden assert into a rewrite that passes.
            Xunit.Assert.False(IsCi(environment),
                $"{UpdateVariable}=1 with CI={environment("CI")}: golden files are never rewritten in CI; unset {UpdateVariable}");
            var current = File.Exists(source) ? File.ReadAllText(source) : null;
            if (current == actual)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual, new UTF8Encoding(false));
            Xunit.Assert.Fail($"golden rewritten: {source}; review the diff and run again");
        }

        Xunit.Assert.True(File.Exists(copy), $"golden file {relativePath} is missing; run with {UpdateVariable}=1 to create it");
        Xunit.Assert.Equal(File.ReadAllText(copy), actual);
    }

    private static bool IsCi(Func<string, string?> environment) =>
        environment("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    private static string SourceDirectory() =>
        AppContext.GetData(SourceDirectoryOption) as string is { Length: > 0 } directory
            ? directory
            : throw new InvalidOperationException($"the runtime option {SourceDirectoryOption} is not set: the test project must import tests/Directory.Build.props");
}
