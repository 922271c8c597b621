using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// Power is cut at a moment of first boot (<see cref="PowerCutPoint"/>); the next boot must finish the install, skipping what
/// was done. After a cut mid package install it must also say it repaired the interrupted dpkg run.
/// </summary>
internal static class ResumeRun
{
    /// <summary>The resume runs of the suite: a cut mid-INFRA, mid package install (a seed with packages the image lacks), and
    /// while two modules run side by side.</summary>
    public static readonly IReadOnlyList<string> Names = ["resume", "resume-packages", "resume-concurrent"];

    /// <summary>Where run <paramref name="name"/> cuts power, and how long after the moment.</summary>
    public static (PowerCutPoint Point, TimeSpan After) CutOf(string name) => name switch
    {
        "resume" => (PowerCutPoint.MidModule("INFRA"), TimeSpan.FromSeconds(3)),

        // A second in: dpkg has unpacked something and configured nothing of this run.
        "resume-packages" => (PowerCutPoint.MidPackageInstall(), TimeSpan.FromSeconds(1)),
        "resume-concurrent" => (PowerCutPoint.ConcurrentPhase(), TimeSpan.Zero),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, $"not a resume run ({string.Join(", ", Names)})"),
    };

    public static async Task<BootTestRun> RunAsync(string name, BootTester tester, BootTestOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (point, after) = CutOf(name);
        var session = await tester.SessionAsync(name, options, cancellationToken);
        string? cutAt;
        await using (var first = await session.BootAsync(cancellationToken))
        {
            cutAt = (await first.WaitForLineAsync(point.IsAt, options.Deadline, cancellationToken))?.Text;
            if (after > TimeSpan.Zero)
            {
                await Task.Delay(after, cancellationToken);
            }
        }

        await using var second = await session.BootAsync(cancellationToken);
        var result = await BootTester.WaitAsync(second, ["done", "failed"], options.Deadline, cancellationToken);
        var lines = second.Lines.Select(l => l.Text).ToList();
        var skipped = lines.Count(l => FirstBootConsole.IsStepSettled(l, module: null, alreadyDone: true));
        List<CheckResult> checks =
        [
            new($"power cut {point.Description}", cutAt is not null, cutAt?.Trim() ?? $"first boot never got {point.Description} before the deadline"),
            GuestChecks.InstallDone(result?.Text),
            new("the next boot resumed: finished steps were not redone", skipped > 0, $"{skipped} steps reported '{FirstBootConsole.AlreadyDone}' on the second boot"),
        ];
        if (name == "resume-packages")
        {
            var repaired = lines.FirstOrDefault(l => FirstBootConsole.MessageOf(l)?.Contains(FirstBootConsole.RepairedNoteStart, StringComparison.Ordinal) == true);
            checks.Add(new("the next boot finished the interrupted dpkg run first", repaired is not null,
                repaired?.Trim() ?? $"no '{FirstBootConsole.RepairedNoteStart}' note on the second boot"));
        }

        return new BootTestRun(name, options.Firmware.ToString().ToLowerInvariant(), second.Accelerator.ToString().ToLowerInvariant(),
            result is not null && checks.All(c => c.Passed), BootTester.Phases(second), result?.Text, checks, session.SerialLog(2))
        {
            Timeline = FirstBootTimeline.Of(second.Lines),
        };
    }
}
