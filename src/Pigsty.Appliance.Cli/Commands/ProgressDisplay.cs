using Pigsty.Appliance.CommandLine;
using Spectre.Console;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>The one way a long command shows progress: Spectre bars on a terminal, plain lines in CI and pipes, stderr under --json.</summary>
internal static class ProgressDisplay
{
    /// <summary>Bars only for a person at a terminal: not under --json, not when CI is set (CI logs keep carriage returns badly).</summary>
    public static bool Interactive(IAnsiConsole console, bool json) =>
        !json && console.Profile.Capabilities.Interactive && Environment.GetEnvironmentVariable("CI") is null;

    /// <summary>Runs <paramref name="work"/> with a bar context when interactive (else null) and the writer plain lines go to:
    /// stdout, or stderr under --json so that stdout holds the document alone.</summary>
    public static async Task<T> RunAsync<T>(CliIo io, bool json, Func<ProgressContext?, TextWriter, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(work);
        if (!Interactive(io.Console, json))
        {
            return await work(null, json ? io.Error : io.Out);
        }

        T? done = default;
        await io.Console.Progress().AutoClear(false).HideCompleted(false).StartAsync(async bars => done = await work(bars, io.Out));
        return done!;
    }
}
