using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Pipelines;

namespace Pigsty.Appliance.CommandLine;

/// <summary>
/// The one shape of <c>--json</c> output: snake_case names as status.json has them, indented, one document on stdout ending in
/// a newline; an error is the document <c>{"error": {...}}</c> on stdout as well as the usual line on stderr.
/// </summary>
public static class CliJson
{
    /// <summary>The option's name, the same on every command that has it.</summary>
    public const string OptionName = "--json";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A <c>--json</c> option; <paramref name="description"/> says what the document holds.</summary>
    public static Option<bool> Option(string description) => new(OptionName) { Description = description };

    /// <summary>The document as it is printed: indented, with \n line ends and a final newline.</summary>
    public static string Render(JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.ToJsonString(Indented).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    /// <summary>Writes <paramref name="document"/> to <paramref name="output"/>.</summary>
    public static Task WriteAsync(TextWriter output, JsonNode document)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.WriteAsync(Render(document));
    }

    /// <summary>A problem in a user's file: <c>file</c>, <c>line</c>, <c>column</c> (0 when not known), <c>field</c> and <c>message</c>.</summary>
    public static JsonObject Problem(InputProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new JsonObject
        {
            ["file"] = problem.Location.File,
            ["line"] = problem.Location.Line,
            ["column"] = problem.Location.Column,
            ["field"] = problem.Field,
            ["message"] = problem.Message,
        };
    }

    /// <summary>An array of <see cref="Problem"/> objects.</summary>
    public static JsonArray Problems(IEnumerable<InputProblem> problems) => new([.. problems.Select(p => (JsonNode)Problem(p))]);

    /// <summary>An array of strings.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    /// <summary>Pipeline step timings as <c>[{"name", "seconds"}]</c>, in the order they ran.</summary>
    public static JsonArray Timings(IEnumerable<StepTiming> timings) =>
        new([.. timings.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["seconds"] = Math.Round(t.Elapsed.TotalSeconds, 3) })]);

    /// <summary>The error document: <c>exit_code</c>, <c>message</c> and, for invalid input, every <c>problems</c> entry.</summary>
    public static JsonObject Error(ExitCode code, string message, IReadOnlyList<InputProblem>? problems = null)
    {
        var error = new JsonObject { ["exit_code"] = (int)code, ["message"] = message };
        if (problems is not null)
        {
            error["problems"] = Problems(problems);
        }

        return new JsonObject { ["error"] = error };
    }

    /// <summary>True when the command <paramref name="parsed"/> chose has a <c>--json</c> option and it was given.</summary>
    public static bool Requested(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.CommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == OptionName) is { } option
            && parsed.GetValue(option);
    }
}
