using Pigsty.Appliance.CommandLine;

namespace Pigsty.Appliance.Cli.Tests;

/// <summary>Runs the CLI in-process with captured output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static async Task<CliRun> Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, CliIo.Plain(output, error), CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
