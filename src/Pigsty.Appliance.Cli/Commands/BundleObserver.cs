using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Build;
using Pigsty.Appliance.Bundler.Fetch;
using Spectre.Console;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>Bundle progress for people: bars on a terminal (when a Spectre progress context is given), plain lines otherwise.</summary>
internal sealed class BundleObserver(IAnsiConsole console, TextWriter plain, ProgressContext? bars, TimeProvider time) : IBundleObserver
{
    private readonly ProgressThrottle _throttle = new(time);
    private ProgressTask? _download;

    public void Step(string name, string detail)
    {
        if (bars is null)
        {
            plain.WriteLine($"{name}: {detail}");
            return;
        }

        bars.AddTask($"{name}: {Markup.Escape(detail)}", autoStart: true, maxValue: 1).Increment(1);
    }

    public void IndexLoaded(AptIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var line = $"  {index.Source.Upstream} {index.Source.Suite}: signature good, {index.Packages.Count} packages";
        if (bars is null)
        {
            plain.WriteLine(line);
        }
        else
        {
            bars.AddTask(Markup.Escape(line), maxValue: 1).Increment(1);
        }
    }

    public void Warn(string message)
    {
        if (bars is null)
        {
            plain.WriteLine($"warning: {message}");
        }
        else
        {
            console.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
        }
    }

    public void Report(FetchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (bars is not null)
        {
            _download ??= bars.AddTask("download", maxValue: Math.Max(1, value.BytesTotal));
            _download.Value = value.BytesDone;
            _download.Description = $"download: {value.PackagesDone}/{value.PackagesTotal} packages, {Mib(value.BytesDone)}/{Mib(value.BytesTotal)} MiB";
            return;
        }

        // Plain mode (CI, pipes): a line every 10% or every 5 s, and at the end; downloads report from several threads.
        var percent = value.BytesTotal == 0 ? 100 : (int)(value.BytesDone * 100 / value.BytesTotal);
        var finished = value.PackagesDone == value.PackagesTotal && value.Stage != FetchStage.Downloading;
        lock (_throttle)
        {
            if (_throttle.ShouldPrint(percent, finished))
            {
                plain.WriteLine($"  fetch: {value.PackagesDone}/{value.PackagesTotal} packages, {Mib(value.BytesDone)}/{Mib(value.BytesTotal)} MiB ({percent}%)");
            }
        }
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
}
