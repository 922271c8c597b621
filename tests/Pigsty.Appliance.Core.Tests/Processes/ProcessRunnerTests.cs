using System.Diagnostics;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.Processes;

/// <summary>The runner against real processes: sh, cat, sleep.</summary>
public sealed class ProcessRunnerTests
{
    private static readonly ProcessRunner Runner = ProcessRunner.Silent;

    private static ProcessSpec Sh(string script) => ProcessSpec.Of("sh", "-c", script);

    [Fact]
    public async Task Captures_stdout_stderr_and_exit_code()
    {
        var result = await Runner.RunAsync(Sh("echo out; echo err >&2; exit 0"), CancellationToken.None);

        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Arguments_are_passed_one_by_one_without_a_shell()
    {
        var result = await Runner.RunAsync(ProcessSpec.Of("printf", "%s|", "a b", "$HOME", "'q'", ""), CancellationToken.None);

        Assert.Equal("a b|$HOME|'q'||", result.StandardOutput);
    }

    [Fact]
    public async Task Non_zero_exit_throws_with_tool_code_and_stderr_tail()
    {
        var script = "for i in $(seq 1 30); do echo line$i >&2; done; exit 3";

        var error = await Assert.ThrowsAsync<ToolException>(() => Runner.RunAsync(Sh(script), CancellationToken.None));

        Assert.Equal("sh", error.Tool);
        Assert.Equal(3, error.ToolExitCode);
        Assert.StartsWith("sh exited with code 3:\nline11\n", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("line30", error.StderrTail, StringComparison.Ordinal);
        Assert.DoesNotContain("line10\n", error.StderrTail, StringComparison.Ordinal);
        Assert.Equal(ExitCode.ToolFailed, error.ExitCode);
    }

    [Fact]
    public async Task Non_zero_exit_is_returned_when_the_caller_asks()
    {
        var result = await Runner.RunAsync(Sh("exit 7") with { ThrowOnNonZeroExit = false }, CancellationToken.None);

        Assert.Equal(7, result.ExitCode);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Secrets_are_masked_in_the_error_and_display()
    {
        var spec = Sh("echo 'password=hunter2 rejected' >&2; exit 1") with { Secrets = ["hunter2"] };

        var error = await Assert.ThrowsAsync<ToolException>(() => Runner.RunAsync(spec, CancellationToken.None));

        Assert.Contains("password=*** rejected", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", spec.Display(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stdin_environment_and_working_directory_are_honoured()
    {
        using var temp = new TempDirectory();
        var spec = Sh("cat; echo \"$GREETING\"; pwd; echo \"${HOME:-unset}\"") with
        {
            StandardInput = "from stdin\n",
            Environment = new Dictionary<string, string?> { ["GREETING"] = "hi", ["HOME"] = null },
            WorkingDirectory = temp.Path,
        };

        var result = await Runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal($"from stdin\nhi\n{temp.Path}\nunset\n", result.StandardOutput);
    }

    [Fact]
    public async Task Output_lines_stream_to_the_callback()
    {
        var lines = new List<string>();

        await Runner.RunAsync(Sh("echo one; echo two") with { OnOutputLine = lines.Add }, CancellationToken.None);

        Assert.Equal(["one", "two"], lines);
    }

    [Fact]
    public async Task Output_text_streams_as_read_with_its_carriage_returns_while_lines_wait_for_the_newline()
    {
        var pieces = new List<string>();
        var lines = new List<string>();

        var result = await Runner.RunAsync(Sh("printf ' (10.00/100%%)\\r'; sleep 1; printf ' (100.00/100%%)\\r\\n'") with
        {
            OnOutputText = pieces.Add,
            OnOutputLine = lines.Add,
        }, CancellationToken.None);

        Assert.Equal(" (10.00/100%)\r", pieces[0]);
        Assert.Equal(result.StandardOutput, string.Concat(pieces));
        Assert.Equal([" (10.00/100%)\r (100.00/100%)"], lines);
    }

    [Fact]
    public async Task A_prompt_without_newline_reaches_the_callback_once_output_pauses()
    {
        var lines = new List<string>();

        var result = await Runner.RunAsync(Sh("printf 'host login: '; sleep 2; echo after") with
        {
            OnOutputLine = lines.Add,
            PartialLineAfter = TimeSpan.FromMilliseconds(300),
        }, CancellationToken.None);

        Assert.Equal(["host login: ", "after"], lines);
        Assert.Equal("host login: after\n", result.StandardOutput);
    }

    [Fact]
    public async Task Without_partial_flushing_a_prompt_waits_for_its_newline()
    {
        var lines = new List<string>();

        await Runner.RunAsync(Sh("printf 'host login: '; sleep 1; echo after") with { OnOutputLine = lines.Add }, CancellationToken.None);

        Assert.Equal(["host login: after"], lines);
    }

    [Fact]
    public async Task Missing_tool_names_its_package()
    {
        var error = await Assert.ThrowsAsync<MissingToolException>(() =>
            Runner.RunAsync(ProcessSpec.Of("/nonexistent/sgdisk", "-v"), CancellationToken.None));

        Assert.Equal("gdisk", error.Package);
        Assert.Contains("'sgdisk'", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCode.MissingTool, error.ExitCode);
    }

    [Fact]
    public async Task Timeout_sends_sigterm_and_lets_the_tool_clean_up()
    {
        using var temp = new TempDirectory();
        var marker = temp.File("terminated");
        var child = temp.File("child");
        var spec = Sh($"trap 'echo cleaned > {marker}; exit 143' TERM; sleep 30 & echo $! > {child}; wait") with
        {
            Timeout = TimeSpan.FromMilliseconds(500),
        };

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ToolException>(() => Runner.RunAsync(spec, CancellationToken.None));

        Assert.Null(error.ToolExitCode);
        Assert.StartsWith("sh timed out after 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.True(error.TimedOut);
        Assert.Equal("cleaned\n", await File.ReadAllTextAsync(marker));
        Assert.False(IsAlive(int.Parse(await File.ReadAllTextAsync(child))), "the tool's child outlived it");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Cancellation_kills_a_tool_that_ignores_sigterm_and_its_children()
    {
        using var temp = new TempDirectory();
        var pids = temp.File("pids");
        var spec = Sh($"trap '' TERM; sleep 60 & echo $$ $! > {pids}; wait") with { KillGrace = TimeSpan.FromMilliseconds(300) };
        using var cancel = new CancellationTokenSource();

        var run = Runner.RunAsync(spec, cancel.Token);
        await WaitForFileAsync(pids);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        foreach (var pid in (await File.ReadAllTextAsync(pids)).Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse))
        {
            Assert.False(IsAlive(pid), $"process {pid} survived");
        }
    }

    [Fact]
    public async Task Already_cancelled_token_starts_nothing()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner.RunAsync(Sh("exit 0"), cancel.Token));
    }

    [Fact]
    public void Display_quotes_what_a_shell_would_split() =>
        Assert.Equal("tar -czf 'my file.tgz' 'it'\\''s' --x=1", ProcessSpec.Of("tar", "-czf", "my file.tgz", "it's", "--x=1").Display());

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private static async Task WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(File.Exists(path) && new FileInfo(path).Length > 0))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not appear");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Input_is_written_as_it_arrives_so_a_conversation_can_answer_what_it_sees()
    {
        var input = System.Threading.Channels.Channel.CreateUnbounded<string>();
        var spec = Sh("read a; echo got-$a; read b; echo got-$b") with
        {
            Input = input.Reader,
            // The second answer depends on the first reply, as a login answers each prompt it sees.
            OnOutputLine = line => input.Writer.TryWrite(line == "got-one" ? "two\n" : ""),
            Timeout = TimeSpan.FromSeconds(30),
        };
        input.Writer.TryWrite("one\n");

        var result = await Runner.RunAsync(spec, CancellationToken.None);

        Assert.Equal("got-one\ngot-two\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_process_that_exits_while_its_input_is_still_open_is_not_waited_on()
    {
        var input = System.Threading.Channels.Channel.CreateUnbounded<string>();

        var result = await Runner.RunAsync(Sh("echo done") with { Input = input.Reader, Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);

        Assert.Equal("done\n", result.StandardOutput);
        Assert.False(input.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task Completing_the_input_closes_stdin()
    {
        var input = System.Threading.Channels.Channel.CreateUnbounded<string>();
        input.Writer.TryWrite("last\n");
        input.Writer.Complete();

        var result = await Runner.RunAsync(ProcessSpec.Of("cat") with { Input = input.Reader, Timeout = TimeSpan.FromSeconds(30) }, CancellationToken.None);

        Assert.Equal("last\n", result.StandardOutput);
    }
}
