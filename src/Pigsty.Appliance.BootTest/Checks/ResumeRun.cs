using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>Power is cut in the middle of INFRA; the next boot must finish the install, skipping what was done.</summary>
internal static class ResumeRun
{
    public static async Task<BootTestRun> RunAsync(BootTester tester, BootTestOptions options, CancellationToken cancellationToken)
    {
        var session = await tester.SessionAsync("resume", options, cancellationToken);
        string? cutAt;
        await using (var first = await session.BootAsync(cancellationToken))
        {
            // Cut the power once INFRA has finished a step and started the next one: mid-module, with work on either side.
            var infraStep = await first.WaitForLineAsync(l => FirstBootConsole.IsStepSettled(l, "INFRA", alreadyDone: false),
                options.Deadline, cancellationToken);
            cutAt = infraStep?.Text;
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
        }

        await using var second = await session.BootAsync(cancellationToken);
        var result = await BootTester.WaitAsync(second, ["done", "failed"], options.Deadline, cancellationToken);
        var skipped = second.Lines.Count(l => FirstBootConsole.IsStepSettled(l.Text, module: null, alreadyDone: true));
        CheckResult[] checks =
        [
            new("power cut in the middle of INFRA", cutAt is not null, cutAt?.Trim() ?? "INFRA never finished a step before the deadline"),
            GuestChecks.InstallDone(result?.Text),
            new("the next boot resumed: finished steps were not redone", skipped > 0, $"{skipped} steps reported '{FirstBootConsole.AlreadyDone}' on the second boot"),
        ];
        return new BootTestRun("resume", options.Firmware.ToString().ToLowerInvariant(), second.Accelerator.ToString().ToLowerInvariant(),
            result is not null && checks.All(c => c.Passed), BootTester.Phases(second), result?.Text, checks, session.SerialLog(2));
    }
}
