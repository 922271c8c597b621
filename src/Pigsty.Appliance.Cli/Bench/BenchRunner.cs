using System.Diagnostics;
using System.Globalization;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Cli.Bench;

/// <summary>Runs a command under GNU time for its peak memory, and times it.</summary>
public sealed class BenchRunner(IProcessRunner runner)
{
    public async Task<TimedRun> RunAsync(string name, string program, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var memory = Path.GetTempFileName();
        try
        {
            var clock = Stopwatch.StartNew();
            var result = await runner.RunAsync(new ProcessSpec("/usr/bin/time", ["-f", "%M", "-o", memory, program, .. arguments])
            {
                Timeout = TimeSpan.FromMinutes(30),
            }, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            var kib = long.Parse((await File.ReadAllTextAsync(memory, cancellationToken)).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
            return new TimedRun(name, seconds, kib, result.StandardOutput + result.StandardError);
        }
        finally
        {
            File.Delete(memory);
        }
    }
}
