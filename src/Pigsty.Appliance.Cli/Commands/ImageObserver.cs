using System.Globalization;
using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Imaging.Build;
using Spectre.Console;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>Image progress for people: a bar per stage and per conversion on a terminal (when a Spectre progress context is
/// given), plain lines otherwise: each stage's start and end with its duration, and each conversion every 10% or 5 s.</summary>
internal sealed class ImageObserver(TextWriter plain, ProgressContext? bars, TimeProvider time) : IImageObserver
{
    // Conversions run side by side, each reporting from its own output reader.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ProgressThrottle> _throttles = new(StringComparer.Ordinal);

    public void StepStarted(string name)
    {
        if (bars is null)
        {
            Line($"{name}: started");
            return;
        }

        // A stage's length is not known ahead: its bar pulses until the stage ends.
        lock (_gate)
        {
            _tasks[name] = bars.AddTask(Markup.Escape(name), maxValue: 1).IsIndeterminate();
        }
    }

    public void StepFinished(StepTiming timing)
    {
        ArgumentNullException.ThrowIfNull(timing);
        var line = string.Create(CultureInfo.InvariantCulture, $"{timing.Name}: done in {timing.Elapsed.TotalSeconds:0.0} s");
        if (bars is null)
        {
            Line(line);
            return;
        }

        lock (_gate)
        {
            if (_tasks.TryGetValue(timing.Name, out var task))
            {
                task.IsIndeterminate(false).Value = task.MaxValue;
                task.Description = Markup.Escape(line);
                task.StopTask();
            }
        }
    }

    public void Say(string line)
    {
        if (bars is null)
        {
            Line(line);
            return;
        }

        bars.AddTask(Markup.Escape(line), maxValue: 1).Increment(1);
    }

    public void Report(ConvertProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // Rounded down: 99.9 is not yet "100%".
        var line = string.Create(CultureInfo.InvariantCulture, $"  convert: {value.File} {Math.Floor(value.Percent):0}%");
        if (bars is not null)
        {
            lock (_gate)
            {
                var key = "convert " + value.File;
                if (!_tasks.TryGetValue(key, out var task))
                {
                    _tasks[key] = task = bars.AddTask(Markup.Escape(key), maxValue: 100);
                }

                task.Value = value.Percent;
            }

            return;
        }

        lock (_gate)
        {
            if (!_throttles.TryGetValue(value.File, out var throttle))
            {
                _throttles[value.File] = throttle = new ProgressThrottle(time);
            }

            if (throttle.ShouldPrint(value.Percent, value.Percent >= 100))
            {
                plain.WriteLine(line);
            }
        }
    }

    private void Line(string line)
    {
        lock (_gate)
        {
            plain.WriteLine(line);
        }
    }
}
