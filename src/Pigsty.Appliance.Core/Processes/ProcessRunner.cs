using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Processes;

/// <summary>Runs external programs: arguments as a list, timeout, cancellation with SIGTERM then kill of the tree.</summary>
public sealed class ProcessRunner(ILogger<ProcessRunner> logger) : IProcessRunner
{
    private const int TailLines = 20;
    private const int NoSuchFile = 2;

    /// <summary>A runner that logs nowhere, for tools and tests that have no logger.</summary>
    public static ProcessRunner Silent { get; } = new(NullLogger<ProcessRunner>.Instance);

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();
        using var process = new Process { StartInfo = StartInfo(spec) };
        var display = spec.Display();
        logger.LogDebug("run {Command}", display);
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception e) when (e.NativeErrorCode == NoSuchFile)
        {
            throw new MissingToolException(spec.Tool, KnownTools.PackageFor(spec.FileName));
        }
        catch (Win32Exception e)
        {
            throw new ToolException(spec.Tool, null, "", $"{spec.Tool} could not be started: {e.Message}");
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var exited = new CancellationTokenSource();
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, stdout, spec.OnOutputText, spec.OnOutputLine, spec.PartialLineAfter),
            PumpAsync(process.StandardError, stderr, null, spec.OnErrorLine, spec.PartialLineAfter),
            FeedAsync(process, spec.StandardInput, spec.Input, exited.Token));

        using var timeout = new CancellationTokenSource(spec.Timeout ?? Timeout.InfiniteTimeSpan);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
            await exited.CancelAsync();
            await pumps.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process, spec.KillGrace);
            await exited.CancelAsync();
            await Task.WhenAny(pumps, Task.Delay(spec.KillGrace, CancellationToken.None));
            if (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                string text;
                lock (stderr)
                {
                    text = stderr.ToString();
                }

                var tail = Tail(spec, text);
                logger.LogWarning("{Tool} timed out after {Timeout}: {Command}", spec.Tool, spec.Timeout, display);
                throw new ToolException(spec.Tool, null, tail,
                    $"{spec.Tool} timed out after {spec.Timeout!.Value.TotalSeconds:0.#} s and was stopped{Suffix(tail)}") { TimedOut = true };
            }

            logger.LogInformation("{Tool} cancelled: {Command}", spec.Tool, display);
            throw;
        }

        var result = new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
        logger.LogDebug("{Tool} exited {ExitCode} after {Elapsed}", spec.Tool, result.ExitCode, result.Duration);
        if (!result.Succeeded && spec.ThrowOnNonZeroExit)
        {
            throw NonZeroExit(spec, result);
        }

        return result;
    }

    /// <summary>What a non-zero exit throws when the spec asks for it: the tool, its exit code and the masked tail of its stderr.</summary>
    public static ToolException NonZeroExit(ProcessSpec spec, ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(result);
        var tail = Tail(spec, result.StandardError);
        return new ToolException(spec.Tool, result.ExitCode, tail, $"{spec.Tool} exited with code {result.ExitCode}{Suffix(tail)}");
    }

    private static ProcessStartInfo StartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Copies a stream exactly into <paramref name="sink"/>, handing each piece read to <paramref name="onText"/> and complete
    /// lines to <paramref name="onLine"/>; with <paramref name="partialAfter"/>, text that waits that long without its newline (a login
    /// prompt) is handed over as a line too.</summary>
    private static async Task PumpAsync(StreamReader reader, StringBuilder sink, Action<string>? onText, Action<string>? onLine, TimeSpan? partialAfter)
    {
        var buffer = new char[8192];
        var partial = new StringBuilder();
        while (true)
        {
            var next = reader.ReadAsync(buffer).AsTask();
            if (partialAfter is { } wait && onLine is not null && partial.Length > 0
                && await Task.WhenAny(next, Task.Delay(wait)) != next)
            {
                onLine(partial.ToString().TrimEnd('\r'));
                partial.Clear();
            }

            var read = await next;
            if (read == 0)
            {
                break;
            }

            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }

            onText?.Invoke(new string(buffer, 0, read));

            if (onLine is null)
            {
                continue;
            }

            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    onLine(partial.ToString().TrimEnd('\r'));
                    partial.Clear();
                }
                else
                {
                    partial.Append(buffer[i]);
                }
            }
        }

        if (onLine is not null && partial.Length > 0)
        {
            onLine(partial.ToString());
        }
    }

    private static async Task FeedAsync(Process process, string? input, System.Threading.Channels.ChannelReader<string>? more, CancellationToken exited)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input);
            }

            if (more is not null)
            {
                await foreach (var text in more.ReadAllAsync(exited))
                {
                    await process.StandardInput.WriteAsync(text);
                    await process.StandardInput.FlushAsync(exited);
                }
            }

            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The process exited without reading (all) its input; its exit code tells the story.
        }
    }

    /// <summary>SIGTERM to the tool and its descendants so they can clean up; after the grace period, SIGKILL what is left.</summary>
    private static async Task StopAsync(Process process, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        var tree = ProcessTree.Snapshot(process.Id);
        foreach (var pid in tree)
        {
            NativeSignals.Terminate(pid);
        }

        var deadline = DateTime.UtcNow + grace;
        while (tree.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        foreach (var pid in tree.Concat(process.HasExited ? [] : ProcessTree.Snapshot(process.Id)).Where(ProcessTree.IsAlive))
        {
            NativeSignals.ForceKill(pid);
        }

        await process.WaitForExitAsync(CancellationToken.None);
    }

    private static string Tail(ProcessSpec spec, string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return spec.Mask(string.Join('\n', lines.TakeLast(TailLines)));
    }

    private static string Suffix(string tail) => tail.Length == 0 ? "" : ":\n" + tail;
}
