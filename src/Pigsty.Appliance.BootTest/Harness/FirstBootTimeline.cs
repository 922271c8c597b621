using System.Globalization;
using System.Text.Json.Serialization;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>
/// When each module and step of first boot ran, read from the console (a settled step's line gives its end and its length, hence
/// its start), so steps that ran side by side show as overlapping spans. What each step waited on is in the node's status.json.
/// </summary>
public sealed record FirstBootTimeline(
    [property: JsonPropertyName("modules")] IReadOnlyList<ModuleSpan> Modules,
    [property: JsonPropertyName("steps")] IReadOnlyList<StepSpan> Steps)
{
    /// <summary>The timeline of the settled-step lines among <paramref name="lines"/>.</summary>
    public static FirstBootTimeline Of(IEnumerable<ConsoleLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var steps = new List<StepSpan>();
        foreach (var line in lines)
        {
            if (FirstBootConsole.SettledOf(line.Text) is { } settled)
            {
                var end = Math.Round(line.Elapsed.TotalSeconds, 1);
                steps.Add(new StepSpan(settled.Module, settled.Title, Math.Round(Math.Max(0, end - settled.Seconds), 1), end, settled.AlreadyDone));
            }
        }

        var modules = steps.GroupBy(s => s.Module)
            .Select(g => new ModuleSpan(g.Key, g.Min(s => s.Start), g.Max(s => s.End), g.Count(), g.Count(s => !s.AlreadyDone)))
            .OrderBy(m => m.Start)
            .ToList();
        return new FirstBootTimeline(modules, [.. steps.OrderBy(s => s.Start)]);
    }

    /// <summary>One line per module for the console report, e.g. <c>PGSQL 310.2–402.9 s (92.7 s, 18/18 applied)</c>.</summary>
    public IEnumerable<string> Summary() => Modules.Select(m =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Module} {m.Start:0.0}–{m.End:0.0} s ({m.End - m.Start:0.0} s, {m.Applied}/{m.Steps} applied)"));
}
