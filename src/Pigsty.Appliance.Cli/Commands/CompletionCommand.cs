using System.CommandLine;
using Pigsty.Appliance.CommandLine;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: prints a shell completion script. The script holds no command names: it asks the program itself
/// through System.CommandLine's <c>[suggest:N]</c> directive, so completion follows the commands of the binary installed.
/// </summary>
public static class CompletionCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shell = new Argument<string>("shell") { Description = "bash or zsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print the shell completion script for bash or zsh (see README: Shell completion)") { shell };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            await context.Io.Out.WriteAsync(Script(parseResult.GetRequiredValue(shell)));
            return 0;
        });
        return command;
    }

    /// <summary>The script for <paramref name="shell"/>, as embedded from Completion/.</summary>
    internal static string Script(string shell)
    {
        using var stream = typeof(CompletionCommand).Assembly.GetManifestResourceStream($"Completion/pigsty-appliance.{shell}")
            ?? throw new InvalidOperationException($"the {shell} completion script is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
