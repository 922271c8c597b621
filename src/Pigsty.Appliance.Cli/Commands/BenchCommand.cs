using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Cli.Bench;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>bench</c>: our Bundle side by side with Pigsty's own repo pipeline on the same packages, in one run, with ratios.</summary>
public static class BenchCommand
{
    /// <summary>Where the reference scripts live in the repository, relative to its root (where bench runs, like recipes/).</summary>
    internal const string BenchDirectory = "build/bench";

    /// <summary>The default reference pipeline: our own script doing what Pigsty's repo role does.</summary>
    internal const string PipelineScript = BenchDirectory + "/pigsty-pipeline.sh";

    /// <summary>The default completeness check: stock apt in an empty root of its own.</summary>
    internal const string AptSimScript = BenchDirectory + "/apt-sim.sh";

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recipe = new Option<string>("--recipe") { Description = "Recipe holding the package list both sides build", DefaultValueFactory = _ => "recipes/bench-pigsty21.yml" };
        var pipeline = new Option<string>("--pigsty-pipeline") { Description = "The reference: Pigsty's way of building its repo, as a script (OUT PACKAGE...)", DefaultValueFactory = _ => PipelineScript };
        var aptSim = new Option<string>("--apt-sim") { Description = "Stock apt from an empty root, to check completeness (REPO PACKAGE...)", DefaultValueFactory = _ => AptSimScript };
        var work = new Option<string>("--work") { Description = "Scratch directory (emptied first)", DefaultValueFactory = _ => "artifacts/bench" };
        var command = new Command("bench", "Compare Bundle with Pigsty's own pipeline (closure, resolve, cold, warm, memory) and print ratios")
        {
            recipe, pipeline, aptSim, work,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var workDirectory = Path.GetFullPath(parseResult.GetRequiredValue(work));
            var script = parseResult.GetRequiredValue(pipeline);
            var sim = parseResult.GetRequiredValue(aptSim);
            foreach (var file in new[] { script, sim })
            {
                if (!File.Exists(file))
                {
                    throw new InputException(file, $"benchmark script not found (the repository's own are {BenchDirectory}/; run bench from the repository root)");
                }
            }

            var recipePath = parseResult.GetRequiredValue(recipe);
            var loaded = await RecipeLoader.LoadAsync(recipePath, cancellationToken);
            var packages = loaded.Groups.SelectMany(g => g.Packages).Distinct().ToList();
            if (Directory.Exists(workDirectory))
            {
                Directory.Delete(workDirectory, recursive: true);
            }

            Directory.CreateDirectory(workDirectory);
            var runner = new ProcessRunner(context.Logger<ProcessRunner>());
            var bench = new BenchRunner(runner);
            var output = context.Io.Out;
            var (program, prefix) = Self();
            string[] ours = [.. prefix, "bundle", "--recipe", recipePath, "--cache", $"{workDirectory}/cache", "--work", $"{workDirectory}/work",
                "--output", $"{workDirectory}/out", "--lock-dir", $"{workDirectory}/locks", "--no-prove"];

            // Ours cold first: any HTTP cache between here and the mirror then favours Pigsty's run, not ours.
            await output.WriteLineAsync("bench: ours, cold (empty cache)…");
            var cold = await bench.RunAsync("ours-cold", program, ours, cancellationToken);
            await output.WriteLineAsync("bench: Pigsty's pipeline (apt-cache depends --recurse, apt-get download, dpkg-scanpackages, tar | gzip -9)…");
            var pigsty = await bench.RunAsync("pigsty", "bash", [script, $"{workDirectory}/pigsty/www", .. packages], cancellationToken);
            await output.WriteLineAsync("bench: ours, warm (everything cached)…");
            var warm = await bench.RunAsync("ours-warm", program, ours, cancellationToken);
            var oursSim = await bench.RunAsync("apt-sim-ours", "bash", [sim, $"{workDirectory}/work/{loaded.Name}/pigsty", .. packages], cancellationToken);
            var pigstySim = await bench.RunAsync("apt-sim-pigsty", "bash", [sim, $"{workDirectory}/pigsty/www/pigsty", .. packages], cancellationToken);

            var theirs = BenchFigures.Pipeline(pigsty.Output);
            var coldSteps = BenchFigures.BundleSteps(cold.Output);
            var warmSteps = BenchFigures.BundleSteps(warm.Output);
            var closure = BenchFigures.BundlePackages(cold.Output);
            var ourInstalls = BenchFigures.AptSim(oursSim.Output);
            var theirInstalls = BenchFigures.AptSim(pigstySim.Output);
            // Both sides measured the same way (GNU time's maximum resident set size of the child); ours is the larger of cold and warm.
            var peakKib = Math.Max(cold.PeakKib, warm.PeakKib);
            var rows = new List<(string Metric, string Ours, string Pigsty, string Ratio)>
            {
                ("closure (packages)", N(closure), N(theirs["debs"]), Ratio(theirs["debs"], closure) + " smaller"),
                ("apt installs from the repo alone", ourInstalls?.ToString(CultureInfo.InvariantCulture) ?? "FAILED", theirInstalls?.ToString(CultureInfo.InvariantCulture) ?? "FAILED", ""),
                ("resolve (s)", S(coldSteps.GetValueOrDefault("resolve")), S(theirs["resolve"]), Ratio(theirs["resolve"], coldSteps.GetValueOrDefault("resolve")) + " faster"),
                ("cold build (s, wall)", S(cold.Seconds), S(pigsty.Seconds), Ratio(pigsty.Seconds, cold.Seconds) + " faster"),
                ("warm rebuild (s, wall)", S(warm.Seconds), "n/a (no cache)", Ratio(pigsty.Seconds, warm.Seconds) + " faster"),
                ("peak memory (MiB, max RSS)", N(peakKib / 1024.0), N(pigsty.PeakKib / 1024.0), Ratio(peakKib, pigsty.PeakKib) + " Pigsty's"),
            };
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{"metric",-34} {"ours",12} {"pigsty",16} {"ratio",16}");
            foreach (var (metric, mine, other, ratio) in rows)
            {
                await output.WriteLineAsync($"{metric,-34} {mine,12} {other,16} {ratio,16}");
            }

            var goals = new (string Goal, bool Met)[]
            {
                ("closure not larger than Pigsty's", closure <= theirs["debs"]),
                ("complete: stock apt installs every package from our repo alone", ourInstalls is not null),
                ("cold build ≥ 2× faster", pigsty.Seconds >= 2 * cold.Seconds),
                ("warm rebuild < 10 s", warm.Seconds < 10),
                ("peak memory ≤ 2× Pigsty's", peakKib <= 2 * pigsty.PeakKib),
            };
            await output.WriteLineAsync();
            foreach (var (goal, met) in goals)
            {
                await output.WriteLineAsync($"  [{(met ? " met " : "MISSED")}] {goal}");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  our cold steps: {string.Join(", ", coldSteps.Select(s => $"{s.Key} {s.Value:0.0}"))}; Pigsty: resolve {theirs["resolve"]:0.0}, download {theirs["download"]:0.0}, index {theirs["index"]:0.0}, tar+gzip {theirs["tar_gz9"]:0.0}"));
            var report = Path.Combine(workDirectory, "report.json");
            await AtomicFile.WriteAllTextAsync(report, JsonSerializer.Serialize(new
            {
                packages = packages.Count,
                ours = new { closure, cold = cold.Seconds, warm = warm.Seconds, cold_steps = coldSteps, warm_steps = warmSteps, peak_kib = peakKib, cold_peak_kib = cold.PeakKib, warm_peak_kib = warm.PeakKib, apt_installs = ourInstalls },
                pigsty = new { closure = theirs["debs"], total = pigsty.Seconds, steps = theirs, peak_kib = pigsty.PeakKib, apt_installs = theirInstalls },
                goals = goals.ToDictionary(g => g.Goal, g => g.Met),
            }, new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            await output.WriteLineAsync($"report: {report}");
            return ourInstalls is null ? (int)ExitCode.IntegrityFailed : 0;
        });
        return command;
    }

    private static string N(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string S(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double theirs, double ours) =>
        ours <= 0 ? "n/a" : (theirs / ours).ToString("0.0", CultureInfo.InvariantCulture) + "×";

    /// <summary>How to run this same pigsty-appliance again: the single-file binary, or dotnet with our dll.</summary>
    private static (string Program, string[] Prefix) Self()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell how this process was started");
        return Path.GetFileName(path) == "dotnet" ? (path, [Path.Combine(AppContext.BaseDirectory, NodeLayout.InstallerName + ".dll")]) : (path, []);
    }
}
