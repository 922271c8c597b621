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
    public async Task Zsh_script_is_printed_zsh_accepts_it_and_compinit_registers_it()
    {
        var run = await CliRun.Of("completion", "zsh");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("#compdef pigsty-appliance\n", run.Out, StringComparison.Ordinal);
        Assert.Contains("compdef _pigsty_appliance pigsty-appliance\n", run.Out, StringComparison.Ordinal);
        var script = _temp.Write("pigsty-appliance.zsh", run.Out);
        var syntax = await RealTool.RunAsync("zsh", "-n", script);
        Assert.True(syntax.ExitCode == 0, syntax.StandardError);

        // Sourced as a user's .zshrc would after compinit: pigsty-appliance is bound to the function, which asks the program.
        var loaded = await RealTool.RunAsync("zsh", "-f", "-c", """
            autoload -U compinit && compinit -u -D && source "$1" || exit 1
            print -r -- "bound: $_comps[pigsty-appliance]"
            whence -f _pigsty_appliance
            """, "completion-test", script);
        Assert.True(loaded.ExitCode == 0, loaded.StandardError);
        Assert.StartsWith("bound: _pigsty_appliance\n_pigsty_appliance () {\n", loaded.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"[suggest:${#line}]\"", loaded.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_shell_is_a_usage_error()
    {
        var run = await CliRun.Of("completion", "fish");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("fish", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Command lines as typed (the cursor at the end) and the candidates the shell offers for them.</summary>
    public static TheoryData<string, string> Lines => new()
    {
        { "pigsty-appliance inv", "inventory" },
        { "pigsty-appliance inventory ", "check\nhost\n--help\n--verbose\n-?\n-h\n-v" },
        { "pigsty-appliance completion ", "bash\nzsh\n--help\n--verbose\n-?\n-h\n-v" },
        { "pigsty-appliance bundle --format t", "tar.zst\ntgz" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task Bash_completion_asks_the_program_through_the_suggest_directive(string line, string expected)
    {
        // What bash sets before it calls a completion function: the line, the cursor, the words and which word is under the cursor.
        var offered = await CompleteAsync("bash", ["-c", """
            source "$1"
            COMP_LINE="$2"
            COMP_POINT=${#COMP_LINE}
            read -r -a COMP_WORDS <<< "$COMP_LINE"
            [[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
            _pigsty_appliance_complete
            printf '%s\n' "${COMPREPLY[@]}"
            """], line);

        Assert.Equal(expected.Split('\n').Order(StringComparer.Ordinal), offered);
    }

    [Theory]
    [MemberData(nameof(Lines))]
    public async Task Zsh_completion_asks_the_program_through_the_suggest_directive(string line, string expected)
    {
        // A real interactive zsh on a pseudo-terminal (zsh/zpty), with compinit and the script loaded, gets the line and a Tab: its
        // line editor calls the completion function, and compadd (wrapped to also print what it matched, then add it) filters the
        // program's candidates by the word under the cursor as it does for a user.
        var offered = await CompleteAsync("zsh", ["-f", "-c", """
            zmodload zsh/zpty && zpty -b shell "zsh -f -i" || exit 3
            zpty -w shell "PS1='> '; autoload -U compinit && compinit -u -D && source ${(q)1}"
            zpty -w shell 'compadd() { builtin compadd -O __got "$@"; print -rl -- "" "MATCH""ES-BEGIN" "${__got[@]}" "MATCH""ES-END" > /dev/tty; builtin compadd "$@" }'
            zpty -n -w shell "$2"$'\t'
            out="" chunk=""
            for i in {1..1200}; do
              zpty -r -t shell chunk && out+=$chunk
              [[ $out == *MATCHES-END* ]] && break
              sleep 0.1
            done
            zpty -d shell
            [[ $out == *MATCHES-END* ]] || { print -ru2 -- "no completion within 120 s: $out"; exit 1 }
            print -rl -- ${(f)${${${out##*MATCHES-BEGIN}%%MATCHES-END*}//$'\r'/}}
            """], line);

        Assert.Equal(expected.Split('\n').Order(StringComparer.Ordinal), offered);
    }

    /// <summary>
    /// Runs <paramref name="shell"/> with <paramref name="arguments"/> then the completion script's path and <paramref name="line"/>,
    /// with the program as a user has it (an executable named pigsty-appliance on PATH, here this build run by dotnet) and returns
    /// the candidates it printed, one a line, sorted.
    /// </summary>
    private async Task<IReadOnlyList<string>> CompleteAsync(string shell, string[] arguments, string line)
    {
        var bin = Directory.CreateDirectory(_temp.File("bin")).FullName;
        var program = Path.Combine(bin, "pigsty-appliance");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        await File.WriteAllTextAsync(program, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "pigsty-appliance.dll")}' \"$@\"\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = _temp.Write($"pigsty-appliance.{shell}", (await CliRun.Of("completion", shell)).Out);

        var result = await ProcessRunner.Silent.RunAsync(RealTool.Spec(shell, [.. arguments, "completion-test", script, line]) with
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") },
            Timeout = TimeSpan.FromMinutes(3),
        }, CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
    }
}
