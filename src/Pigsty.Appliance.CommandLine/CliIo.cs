using Spectre.Console;

namespace Pigsty.Appliance.CommandLine;

/// <summary>Where a command writes: a Spectre console for people, and the raw writers System.CommandLine uses.</summary>
public sealed record CliIo(IAnsiConsole Console, TextWriter Out, TextWriter Error)
{
    /// <summary>True when <see cref="Error"/> is journald's stream (under a systemd unit): error lines and log lines then carry syslog priorities.</summary>
    public bool ErrorIsJournal { get; init; }

    /// <summary>The process's own stdout and stderr.</summary>
    public static CliIo Standard() =>
        new(AnsiConsole.Console, System.Console.Out, System.Console.Error) { ErrorIsJournal = ServiceLogging.StandardErrorIsJournal() };

    /// <summary>Plain writers with no colours or terminal control, for tests and pipes.</summary>
    public static CliIo Plain(TextWriter output, TextWriter error) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }), output, error);

    /// <summary>Writes an error message; under journald every line gets priority err (journald reads each line on its own), so <c>journalctl -p err</c> shows it all.</summary>
    public Task WriteErrorAsync(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Error.WriteLineAsync(ErrorIsJournal ? string.Join('\n', message.Split('\n').Select(line => ServiceLogging.ErrorPriority + line)) : message);
    }
}
