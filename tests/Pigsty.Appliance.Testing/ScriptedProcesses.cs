using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// The one fake process runner: records every command and answers from a script (exit 0 and no output unless told), and around
/// the answer behaves as <see cref="ProcessRunner"/> does: the output reaches the text and line callbacks, and a non-zero exit throws the
/// same exception unless the spec says not to throw.
/// </summary>
public sealed class ScriptedProcesses : IProcessRunner
{
    private readonly List<Func<ProcessSpec, ProcessResult?>> _answers = [];

    /// <summary>Every command run so far, in order.</summary>
    public List<ProcessSpec> Runs { get; } = [];

    /// <summary>Command lines run so far as logs show them (quoted, secrets masked).</summary>
    public IReadOnlyList<string> Calls => Runs.Select(r => r.Display()).ToList();

    /// <summary>Command lines run so far, program and arguments joined by spaces without quoting or masking.</summary>
    public IEnumerable<string> Lines => Runs.Select(r => string.Join(' ', new[] { r.FileName }.Concat(r.Arguments)));

    /// <summary>Answers commands <paramref name="match"/> accepts; later answers win over earlier ones.</summary>
    public void On(Func<ProcessSpec, bool> match, Func<ProcessSpec, ProcessResult> answer) =>
        _answers.Insert(0, spec => match(spec) ? answer(spec) : null);

    /// <summary>Exit 0 with this standard output.</summary>
    public static ProcessResult Ok(string stdout = "") => new(0, stdout, "", TimeSpan.Zero);

    /// <summary>A failure with this exit code and standard error.</summary>
    public static ProcessResult Fail(int code, string stderr) => new(code, "", stderr, TimeSpan.Zero);

    public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        ProcessResult result;

        // The install engine runs steps side by side: calls may come from several threads at once.
        lock (Runs)
        {
            Runs.Add(spec);
            result = _answers.Select(a => a(spec)).FirstOrDefault(r => r is not null) ?? Ok();
        }

        if (result.StandardOutput.Length > 0)
        {
            spec.OnOutputText?.Invoke(result.StandardOutput);
        }

        Feed(result.StandardOutput, spec.OnOutputLine);
        Feed(result.StandardError, spec.OnErrorLine);

        // A caller that cancels on a line it read (a probe that sees KVM fail) stops the real process and gets the cancellation.
        cancellationToken.ThrowIfCancellationRequested();
        return !result.Succeeded && spec.ThrowOnNonZeroExit
            ? Task.FromException<ProcessResult>(ProcessRunner.NonZeroExit(spec, result))
            : Task.FromResult(result);
    }

    private static void Feed(string text, Action<string>? onLine)
    {
        if (onLine is null || text.Length == 0)
        {
            return;
        }

        var lines = text.Split('\n');
        foreach (var line in text.EndsWith('\n') ? lines[..^1] : lines)
        {
            onLine(line);
        }
    }
}
