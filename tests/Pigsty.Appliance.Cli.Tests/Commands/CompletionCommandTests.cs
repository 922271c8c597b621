using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: the scripts are printed, bash accepts its script, and completing through it really asks the
/// program (a pigsty-appliance on PATH running this build) with the <c>[suggest]</c> directive.
/// </summary>
public sealed class CompletionCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Bash_script_is_printed_and_bash_accepts_it()
    {
        var run = await CliRun.Of("completion", "bash");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("complete -o default -F _pigsty_appliance_complete pigsty-appliance\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
        var script = _temp.Write("pigsty-appliance.bash", run.Out);
        var syntax = await RealTool.RunAsync("bash", "-n", script);
        Assert.True(syntax.ExitCode == 0, syntax.StandardError);
    }

    [Fact]
    public async Task Zsh_script_is_printed()
    {
        var run = await CliRun.Of("completion", "zsh");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("#compdef pigsty-appliance\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("compdef _pigsty_appliance pigsty-appliance\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("[suggest:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_shell_is_a_usage_error()
    {
        var run = await CliRun.Of("completion", "fish");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("fish", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pigsty-appliance inv", "inventory")]
    [InlineData("pigsty-appliance inventory ", "check\nhost\n--help\n--verbose\n-?\n-h\n-v")]
    [InlineData("pigsty-appliance completion ", "bash\nzsh\n--help\n--verbose\n-?\n-h\n-v")]
    [InlineData("pigsty-appliance bundle --format t", "tar.zst\ntgz")]
    public async Task Bash_completion_asks_the_program_through_the_suggest_directive(string line, string expected)
    {
        // The program as a user has it: an executable named pigsty-appliance on PATH (here: this build, run by dotnet).
        var bin = Directory.CreateDirectory(_temp.File("bin")).FullName;
        var program = Path.Combine(bin, "pigsty-appliance");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        await File.WriteAllTextAsync(program, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "pigsty-appliance.dll")}' \"$@\"\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = _temp.Write("pigsty-appliance.bash", (await CliRun.Of("completion", "bash")).Out);

        // What bash sets before it calls a completion function: the line, the cursor, the words and which word is under the cursor.
        var result = await ProcessRunner.Silent.RunAsync(RealTool.Spec("bash", "-c", """
            source "$1"
            COMP_LINE="$2"
            COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _pigsty_appliance_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """, "completion-test", script, line) with
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") },
        }, CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(expected.Split('\n').Order(StringComparer.Ordinal), result.StandardOutput.TrimEnd('\n').Split('\n').Order(StringComparer.Ordinal));
    }
}
