using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>A running VM: its console lines, boot timeline and forwarded ports; disposing it always stops QEMU (SIGTERM, then kill).</summary>
public sealed class QemuVm : IAsyncDisposable
{
    private readonly QemuBootOptions _options;
    private readonly ScratchDirectory _work;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = new();
    private readonly List<ConsoleLine> _lines = [];
    private readonly List<(Func<ConsoleLine, bool> Match, TaskCompletionSource<ConsoleLine?> Done)> _waiters = [];
    private readonly StreamWriter? _log;
    private readonly Channel<string> _input = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private Task<ProcessResult>? _run;
    private Exception? _failure;
    private bool _exited;
    private int _disposed;

    internal QemuVm(QemuBootOptions options, Accelerator accelerator, ScratchDirectory work, ILogger logger)
    {
        _options = options;
        _work = work;
        _logger = logger;
        Accelerator = accelerator;
        if (options.SerialLogPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            _log = new StreamWriter(path, append: false, AtomicFile.Utf8) { AutoFlush = true };
        }
    }

    /// <summary>Where QEMU writes its process id (for <see cref="KillAsync"/>).</summary>
    internal string PidFile => _work.File("qemu.pid");

    /// <summary>The accelerator this VM runs with.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Phases recognised on the console so far.</summary>
    public BootTimeline Timeline { get; } = new();

    /// <summary>Guest ports reachable on 127.0.0.1.</summary>
    public IReadOnlyList<PortForward> Forwards => _options.Forwards;

    /// <summary>Time since QEMU started, on the clock of <see cref="ConsoleLine.Elapsed"/>.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>What is typed on the serial console: QEMU's standard input is the guest's first serial port.</summary>
    internal ChannelReader<string> Input => _input.Reader;

    /// <summary>Every console line so far.</summary>
    public IReadOnlyList<ConsoleLine> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>True once QEMU has exited, whatever the reason.</summary>
    public bool HasExited
    {
        get
        {
            lock (_lines)
            {
                return _exited;
            }
        }
    }

    /// <summary>Waits for a console line matching <paramref name="predicate"/> (lines already seen count); null on timeout or when QEMU exits first.</summary>
    /// <exception cref="ToolException">QEMU failed (e.g. could not open the image) before such a line appeared.</exception>
    public Task<ConsoleLine?> WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WaitAsync(line => predicate(line.Text), timeout, cancellationToken);
    }

    /// <summary>Waits for a console line matching <paramref name="predicate"/> that arrived at or after <paramref name="since"/> (see <see cref="Elapsed"/>).</summary>
    public Task<ConsoleLine?> WaitForLineSinceAsync(TimeSpan since, Func<string, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return WaitAsync(line => line.Elapsed >= since && predicate(line.Text), timeout, cancellationToken);
    }

    /// <summary>Types <paramref name="text"/> on the guest's serial console (a newline is Enter).</summary>
    public ValueTask TypeAsync(string text, CancellationToken cancellationToken) => _input.Writer.WriteAsync(text, cancellationToken);

    /// <summary>Waits until <paramref name="phase"/> is recognised; null on timeout or when QEMU exits first.</summary>
    public Task<ConsoleLine?> WaitForPhaseAsync(BootPhase phase, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(_ => Timeline[phase] is not null, timeout, cancellationToken, () => Timeline[phase]);

    /// <summary>Stops QEMU through the process runner's cancellation (SIGTERM, grace, SIGKILL) and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        _input.Writer.TryComplete();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        if (_run is null)
        {
            return;
        }

        try
        {
            await _run;
        }
        catch (OperationCanceledException)
        {
            // Our own stop.
        }
        catch (ApplianceException)
        {
            // Already recorded as the failure; stopping is not the place to report it.
        }
    }

    /// <summary>
    /// Cuts the power the hard way: SIGKILL to QEMU (no grace, the guest's disks keep only what reached them), then waits for it to be
    /// gone. Returns when (UTC) the signal had been sent: from then on the guest can acknowledge nothing.
    /// </summary>
    public async Task<DateTime> KillAsync()
    {
        if (!HasExited)
        {
            // QEMU writes the file as it starts; without it this would silently become a graceful stop.
            if (!File.Exists(PidFile) || !int.TryParse((await File.ReadAllTextAsync(PidFile)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                throw new ToolException(QemuCommand.Executable, -1, "", $"cannot cut the power with SIGKILL: QEMU left no process id in {PidFile}");
            }

            try
            {
                using var qemu = Process.GetProcessById(pid);
                qemu.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Gone between the check and the kill: the power is off either way.
            }
        }

        var killed = DateTime.UtcNow;
        await StopAsync();
        return killed;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync();
        _stop.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }

        _work.Dispose();
    }

    internal void Start(Func<CancellationToken, Task<ProcessResult>> run)
    {
        _clock.Start();
        _run = Task.Run(() => run(_stop.Token));
        _ = _run.ContinueWith(OnExit, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    internal void OnOutput(string raw)
    {
        var text = ConsoleText.Plain(raw);
        if (text.Length == 0)
        {
            return;
        }

        var line = new ConsoleLine(_clock.Elapsed, text);
        List<TaskCompletionSource<ConsoleLine?>> done;
        lock (_lines)
        {
            _lines.Add(line);
            if (ConsolePhases.Recognize(text, _options.Marker) is { } phase && Timeline.Record(phase, line))
            {
                _logger.LogInformation("{Phase} after {Seconds:0.0} s: {Line}", phase, line.Elapsed.TotalSeconds, text);
            }

            _log?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{line.Elapsed.TotalSeconds,9:0.000}] {text}"));
            done = TakeWaiters(w => w.Match(line));
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(line);
        }

        _options.OnConsoleLine?.Invoke(line);
    }

    private async Task<ConsoleLine?> WaitAsync(Func<ConsoleLine, bool> match, TimeSpan timeout, CancellationToken cancellationToken,
        Func<ConsoleLine?>? seen = null)
    {
        var done = new TaskCompletionSource<ConsoleLine?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            var earlier = seen is not null ? seen() : _lines.FirstOrDefault(match);
            if (earlier is not null)
            {
                return earlier;
            }

            if (_exited)
            {
                return _failure is not null ? throw _failure : null;
            }

            _waiters.Add((match, done));
        }

        try
        {
            var line = await done.Task.WaitAsync(timeout, cancellationToken);
            return line ?? (_failure is not null ? throw _failure : null);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            lock (_lines)
            {
                _waiters.RemoveAll(w => w.Done == done);
            }
        }
    }

    private void OnExit(Task<ProcessResult> run)
    {
        List<TaskCompletionSource<ConsoleLine?>> done;
        lock (_lines)
        {
            _exited = true;
            if (run.Exception?.InnerException is ApplianceException failure)
            {
                _failure = failure;
                _logger.LogWarning("QEMU failed: {Message}", failure.Message);
            }
            else if (run.IsCompletedSuccessfully)
            {
                _logger.LogInformation("QEMU exited with code {Code} after {Seconds:0.0} s", run.Result.ExitCode, _clock.Elapsed.TotalSeconds);
            }

            done = TakeWaiters(_ => true);
        }

        foreach (var waiter in done)
        {
            waiter.TrySetResult(null);
        }
    }

    private List<TaskCompletionSource<ConsoleLine?>> TakeWaiters(Func<(Func<ConsoleLine, bool> Match, TaskCompletionSource<ConsoleLine?> Done), bool> which)
    {
        var taken = _waiters.Where(which).ToList();
        _waiters.RemoveAll(taken.Contains);
        return [.. taken.Select(w => w.Done)];
    }
}
