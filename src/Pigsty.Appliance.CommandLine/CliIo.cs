using Spectre.Console;

namespace Pigsty.Appliance.CommandLine;

/// <summary>Where a command writes: a Spectre console for people, and the raw writers System.CommandLine uses.</summary>
public sealed record CliIo(IAnsiConsole Console, TextWriter Out, TextWriter Error)
{
    /// <summary>The process's own stdout and stderr.</summary>
    public static CliIo Standard() => new(AnsiConsole.Console, System.Console.Out, System.Console.Error);

    /// <summary>Plain writers with no colours or terminal control, for tests and pipes.</summary>
    public static CliIo Plain(TextWriter output, TextWriter error) =>
        new(AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        }), output, error);
}
