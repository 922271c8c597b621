using System.Globalization;

namespace Pigsty.Appliance.Core.Contract;

/// <summary>
/// The status lines first boot prints on the console (<c>pigsty: …</c>): the installer writes them with these functions,
/// and the host follows an install by the same pieces (the <c>…Start</c> members are what a line of that kind starts with).
/// </summary>
public static partial class FirstBootConsole
{
    /// <summary>Every status line starts with this.</summary>
    public const string Prefix = "pigsty: ";

    /// <summary>First boot started: it verifies the bundle before anything else.</summary>
    public const string VerifyingBundleStart = "verifying the bundled repository";

    /// <summary>The bundle verified against <c>repo_complete</c>.</summary>
    public const string BundleVerifiedStart = "bundle verified";

    /// <summary>The seed was found and is valid.</summary>
    public const string SeedStart = "seed: ";

    /// <summary>The node knows what it is and what it will install.</summary>
    public const string PlanStart = "plan: ";

    /// <summary>The install finished.</summary>
    public const string DoneStart = "install done";

    /// <summary>The install stopped; the precise reason follows.</summary>
    public const string FailedStart = "FAILED";

    /// <summary>Said after a re-run in which every step was already done.</summary>
    public const string Unchanged = "nothing to do: every step was already done";

    /// <summary>How a step line ends its title when the step had nothing to do (a resumed or repeated run).</summary>
    public const string AlreadyDone = "already done";

    /// <summary>
    /// The note a package step makes when dpkg starts unpacking: from here until the step settles, a power cut leaves dpkg
    /// interrupted (what a boot test cuts power at).
    /// </summary>
    public const string UnpackingNote = "dpkg is unpacking";

    /// <summary>The note a package step makes when it finished a dpkg run a power cut interrupted.</summary>
    public const string RepairedNoteStart = "repaired an interrupted dpkg run";

    /// <summary>The console line for <paramref name="message"/>.</summary>
    public static string Line(string message) => Prefix + message;

    /// <summary>First boot starts verifying the bundle at <paramref name="repo"/>.</summary>
    public static string VerifyingBundle(string repo) => $"{VerifyingBundleStart} {repo}";

    /// <summary>The bundle verified; <paramref name="summary"/> says what was checked.</summary>
    public static string BundleVerified(string summary) => $"{BundleVerifiedStart}: {summary}";

    /// <summary>The seed found and valid: where it came from, its size, its admin node.</summary>
    public static string SeedValid(string description, int hosts, string adminIp) => $"{SeedStart}{description}: valid, {hosts} hosts, admin_ip {adminIp}";

    /// <summary>The plan: modules and steps for this node.</summary>
    public static string Plan(int modules, int steps, string hostname, string node) => $"{PlanStart}{modules} modules, {steps} steps for {hostname} ({node})";

    /// <summary>What the line saying <paramref name="module"/> started begins with, e.g. <c>NODE started</c>.</summary>
    public static string ModuleStartedStart(string module) => $"{module} started";

    /// <summary>The first step of <paramref name="module"/> starts.</summary>
    public static string ModuleStarted(string module, int steps) => $"{ModuleStartedStart(module)} ({steps} steps)";

    /// <summary>What the line saying <paramref name="module"/> is skipped begins with; the reason follows.</summary>
    public static string ModuleSkippedStart(string module) => $"{module} skipped: ";

    /// <summary><paramref name="module"/> is not installed on this node, and why.</summary>
    public static string ModuleSkipped(string module, string reason) => ModuleSkippedStart(module) + reason;

    /// <summary>What every step line of <paramref name="module"/> begins with.</summary>
    public static string StepStart(string module) => $"{module}: ";

    /// <summary>A step finished: applied (<c>done</c>) or found done already.</summary>
    public static string StepSettled(string module, string title, bool alreadyDone, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{StepStart(module)}{title}: {(alreadyDone ? AlreadyDone : "done")} ({elapsed.TotalSeconds:0.0} s)");

    /// <summary>A step failed, with its error.</summary>
    public static string StepFailed(string module, string stepId, TimeSpan elapsed, string? error) =>
        string.Create(CultureInfo.InvariantCulture, $"{StepStart(module)}{stepId} {FailedStart} after {elapsed.TotalSeconds:0.0} s: {error}");

    /// <summary>A step stopped unfinished because another one failed (the next run does it again).</summary>
    public static string StepInterrupted(string module, string stepId, TimeSpan elapsed) =>
        string.Create(CultureInfo.InvariantCulture, $"{StepStart(module)}{stepId} interrupted after {elapsed.TotalSeconds:0.0} s");

    /// <summary>A running step says something people (and boot tests) should see, e.g. how many of its packages were installed already.</summary>
    public static string StepNote(string module, string stepId, string note) => $"{StepStart(module)}{stepId}: {note}";

    /// <summary>The install stopped, with the precise reason (a seed error names file, line and field).</summary>
    public static string Failed(string reason) => $"{FailedStart}: {reason}";

    /// <summary>The install finished, with the portal people should open when this node serves one.</summary>
    public static string Done(string? portal) => portal is null ? DoneStart : $"{DoneStart}; portal: {portal}";

    /// <summary>The message of a console line carrying a status line (serial consoles add their own text before it), or null.</summary>
    public static string? MessageOf(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var at = line.IndexOf(Prefix, StringComparison.Ordinal);
        return at < 0 ? null : line[(at + Prefix.Length)..];
    }

    /// <summary>True when <paramref name="line"/> says a step (of <paramref name="module"/>, or of any module when null) was applied, or found done already.</summary>
    public static bool IsStepSettled(string line, string? module, bool alreadyDone) =>
        MessageOf(line) is { } message && (module is null || message.StartsWith(StepStart(module), StringComparison.Ordinal))
        && message.Contains($": {(alreadyDone ? AlreadyDone : "done")} (", StringComparison.Ordinal);

    /// <summary>The module and step count of a line saying a module started, or null for any other line.</summary>
    public static (string Module, int Steps)? ModuleStartedOf(string line) =>
        MessageOf(line) is { } message && ModuleStartedPattern().Match(message) is { Success: true } match
            ? (match.Groups["module"].Value, int.Parse(match.Groups["steps"].Value, CultureInfo.InvariantCulture))
            : null;

    /// <summary>The parts of a line saying a step settled (applied or found done already), or null for any other line.</summary>
    public static SettledStepLine? SettledOf(string line) =>
        MessageOf(line) is { } message && SettledPattern().Match(message) is { Success: true } match
            ? new SettledStepLine(match.Groups["module"].Value, match.Groups["title"].Value, match.Groups["how"].Value == AlreadyDone,
                double.Parse(match.Groups["seconds"].Value, CultureInfo.InvariantCulture))
            : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<module>[A-Z]+) started \((?<steps>[0-9]+) steps\)$")]
    private static partial System.Text.RegularExpressions.Regex ModuleStartedPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<module>[A-Z]+): (?<title>.+): (?<how>done|already done) \((?<seconds>[0-9]+\.[0-9]) s\)$")]
    private static partial System.Text.RegularExpressions.Regex SettledPattern();

    /// <summary>The reason in a line saying <paramref name="module"/> is skipped, or null for any other line.</summary>
    public static string? SkipReasonOf(string line, string module) =>
        MessageOf(line) is { } message && message.StartsWith(ModuleSkippedStart(module), StringComparison.Ordinal)
            ? message[ModuleSkippedStart(module).Length..].Trim()
            : null;
}
