using System.CommandLine;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.CommandLine;

/// <summary>Runs a command tree: the one place that maps exceptions to exit codes and messages for a person.</summary>
public static class CommandHost
{
    /// <summary>The exit codes, as printed at the end of --help.</summary>
    public const string ExitCodeHelp = """
        Exit codes:
          0    success
          1    internal error (a bug: please report it)
          2    usage error (bad command line)
          3    invalid input (inventory, recipe, image definition or seed)
          4    an external tool failed or timed out
          5    integrity failure (checksum, signature, marker, truncated or tampered data)
          6    upstream failure (mirror or release source failed, or no longer has a locked item)
          7    a required host tool is missing
          8    an install step failed on this node
          130  interrupted
        """;

    /// <summary>Builds the program's commands, parses <paramref name="args"/>, runs the command, and returns its exit code.</summary>
    /// <param name="program">The program's name as people type it, for the usage hint.</param>
    /// <param name="commands">The root command of the program, given the context its commands share; <c>--verbose</c> is added to it.</param>
    public static async Task<int> RunAsync(string program, CliIo io, Func<CliContext, RootCommand> commands, string[] args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(io);
        ArgumentNullException.ThrowIfNull(commands);
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log debug detail (commands run, timings) to stderr", Recursive = true };
        using var context = new CliContext(io, verbose);
        var root = commands(context);
        root.Options.Insert(0, verbose);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = io.Out, Error = io.Error, EnableDefaultExceptionHandler = false };
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await io.Error.WriteLineAsync($"error: {error.Message}");
            }

            await io.Error.WriteLineAsync($"Run '{program} --help' for usage.");
            return (int)ExitCode.Usage;
        }

        if (parsed.Action is System.CommandLine.Help.HelpAction)
        {
            var code = await parsed.InvokeAsync(configuration, cancellationToken);
            await io.Out.WriteLineAsync(ExitCodeHelp);
            return code;
        }

        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (ApplianceException e)
        {
            context.Logger<ApplianceException>().LogDebug(e, "command failed");
            await io.WriteErrorAsync($"error: {e.Message}");
            await WriteJsonErrorAsync(io, parsed, e.ExitCode, e.Message, (e as InputException)?.Problems);
            return (int)e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await io.Error.WriteLineAsync("interrupted");
            await WriteJsonErrorAsync(io, parsed, ExitCode.Cancelled, "interrupted", null);
            return (int)ExitCode.Cancelled;
        }
#pragma warning disable CA1031 // The top of the program: anything unexpected becomes exit code 1 with its stack.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await io.WriteErrorAsync($"internal error: {e}");
            await WriteJsonErrorAsync(io, parsed, ExitCode.InternalError, $"internal error: {e.Message}", null);
            return (int)ExitCode.InternalError;
        }
    }

    /// <summary>Under --json a failed command still leaves one parseable document on stdout, beside the line on stderr.</summary>
    private static Task WriteJsonErrorAsync(CliIo io, ParseResult parsed, ExitCode code, string message, IReadOnlyList<InputProblem>? problems) =>
        CliJson.Requested(parsed) ? CliJson.WriteAsync(io.Out, CliJson.Error(code, message, problems)) : Task.CompletedTask;
}
