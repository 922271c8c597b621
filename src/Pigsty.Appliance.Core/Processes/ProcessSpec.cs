namespace Pigsty.Appliance.Core.Processes;

/// <summary>What to run: a program, its arguments one by one, and how to run it.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables to set (a null value removes the variable) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Working directory; null means the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Longest the process may run before it is stopped and a <see cref="Errors.ToolException"/> thrown.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How long a stopped process gets between SIGTERM and SIGKILL.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Text written to standard input, which is then closed; null leaves stdin empty.</summary>
    public string? StandardInput { get; init; }

    /// <summary>
    /// Text written to standard input as it arrives (after <see cref="StandardInput"/>), for a conversation such as a login on a
    /// serial console; stdin closes when the reader completes or the process exits.
    /// </summary>
    public System.Threading.Channels.ChannelReader<string>? Input { get; init; }

    /// <summary>Values masked as <c>***</c> wherever the command line or its output is logged or reported.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>When true (the default) a non-zero exit throws; when false the caller reads the exit code.</summary>
    public bool ThrowOnNonZeroExit { get; init; } = true;

    /// <summary>Called with each line of standard output as it arrives (e.g. to follow a serial console).</summary>
    public Action<string>? OnOutputLine { get; init; }

    /// <summary>Called with standard output exactly as it is read, in pieces that may end mid-line: for progress a tool redraws
    /// in place with carriage returns (<c>qemu-img -p</c>), which never reaches <see cref="OnOutputLine"/> before the end.</summary>
    public Action<string>? OnOutputText { get; init; }

    /// <summary>Called with each line of standard error as it arrives.</summary>
    public Action<string>? OnErrorLine { get; init; }

    /// <summary>When set, output that stays without its newline this long (a prompt such as "login: ") reaches the line callbacks as a line.</summary>
    public TimeSpan? PartialLineAfter { get; init; }

    /// <summary>The program's file name without its directory, used in messages.</summary>
    public string Tool => Path.GetFileName(FileName);

    /// <summary>Creates a spec from a program and its arguments.</summary>
    public static ProcessSpec Of(string fileName, params string[] arguments) => new(fileName, arguments);

    /// <summary>Replaces every secret in <paramref name="text"/> with <c>***</c>.</summary>
    public string Mask(string text) => SecretMask.Apply(text, Secrets);

    /// <summary>The command line as a person would type it, quoted where needed and with secrets masked.</summary>
    public string Display() =>
        Mask(string.Join(' ', new[] { FileName }.Concat(Arguments).Select(Quote)));

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
