using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>
/// Moments a resume run cuts power at, recognised on the console. Each is fed the console's lines in order (as a VM's line wait
/// does) and says true at the first line of the moment; a fresh one per boot.
/// </summary>
public sealed class PowerCutPoint
{
    private readonly Func<string, bool> _match;

    private PowerCutPoint(string description, Func<string, bool> match)
    {
        Description = description;
        _match = match;
    }

    /// <summary>What the moment is, for the report.</summary>
    public string Description { get; }

    /// <summary>After <paramref name="module"/> finished a step of its own (work done and work to go).</summary>
    public static PowerCutPoint MidModule(string module) =>
        new($"in the middle of {module}", line => FirstBootConsole.IsStepSettled(line, module, alreadyDone: false));

    /// <summary>Once dpkg started unpacking in a package step: the cut leaves dpkg interrupted.</summary>
    public static PowerCutPoint MidPackageInstall() =>
        new("in the middle of a package install", line => FirstBootConsole.MessageOf(line) is { } message
            && message.Contains($": {FirstBootConsole.UnpackingNote}", StringComparison.Ordinal));

    /// <summary>
    /// While two modules are in flight at once: each started, each applied a step, neither settled all its steps (the module
    /// lines give their step counts).
    /// </summary>
    public static PowerCutPoint ConcurrentPhase()
    {
        var total = new Dictionary<string, int>(StringComparer.Ordinal);
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        var settled = new Dictionary<string, int>(StringComparer.Ordinal);
        return new PowerCutPoint("while two modules run side by side", line =>
        {
            if (FirstBootConsole.ModuleStartedOf(line) is { } started)
            {
                total[started.Module] = started.Steps;
            }
            else if (FirstBootConsole.SettledOf(line) is { } step)
            {
                settled[step.Module] = settled.GetValueOrDefault(step.Module) + 1;
                applied[step.Module] = applied.GetValueOrDefault(step.Module) + (step.AlreadyDone ? 0 : 1);
            }

            return total.Count(t => applied.GetValueOrDefault(t.Key) > 0 && settled.GetValueOrDefault(t.Key) < t.Value) >= 2;
        });
    }

    /// <summary>True at the first line of the moment (and at every later one, for a point fed on).</summary>
    public bool IsAt(string line) => _match(line);
}
