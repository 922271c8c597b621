using System.Globalization;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Cli.Bench;

/// <summary>Numbers read from the outputs being compared: Pigsty's pipeline line, our bundle summary, apt-sim's verdict.</summary>
public static partial class BenchFigures
{
    /// <summary>key=value pairs of pigsty-pipeline.sh's last line (closure, debs, MiB, resolve, download, index, tar_gz9, total, tgz_MiB).</summary>
    public static IReadOnlyDictionary<string, double> Pipeline(string output)
    {
        var line = output.Split('\n').LastOrDefault(l => l.StartsWith("closure=", StringComparison.Ordinal))
            ?? throw new FormatException($"pigsty-pipeline.sh printed no 'closure=' line:\n{output}");
        return KeyValue().Matches(line).ToDictionary(m => m.Groups[1].Value,
            m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Step seconds from our bundle summary's "time:" line.</summary>
    public static IReadOnlyDictionary<string, double> BundleSteps(string output)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("time: ", StringComparison.Ordinal))
            ?? throw new FormatException($"bundle printed no 'time:' line:\n{output}");
        return StepTime().Matches(line[(line.IndexOf('(', StringComparison.Ordinal) + 1)..]).ToDictionary(m => m.Groups[1].Value,
            m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    /// <summary>Package count from our bundle summary's "packages:" line.</summary>
    public static int BundlePackages(string output) =>
        int.Parse(PackagesLine().Match(output) is { Success: true } m ? m.Groups[1].Value : throw new FormatException("bundle printed no 'packages:' line"),
            CultureInfo.InvariantCulture);

    /// <summary>apt-sim.sh's "N packages would be installed", or null when apt refused.</summary>
    public static int? AptSim(string output) =>
        AptSimLine().Match(output) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"(\w+)=([0-9.]+)")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"([a-z]+) ([0-9.]+)")]
    private static partial Regex StepTime();

    [GeneratedRegex(@"^packages: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex PackagesLine();

    [GeneratedRegex(@"apt-sim ok: ([0-9]+) packages")]
    private static partial Regex AptSimLine();
}
