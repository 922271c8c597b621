using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary><c>image</c> progress without a terminal (CI, pipes, --json): plain lines for each stage and every tenth of a conversion.</summary>
public sealed class ImageObserverTests
{
    private readonly StringWriter _plain = new() { NewLine = "\n" };
    private readonly ManualClock _clock = new();

    [Fact]
    public void Each_stage_prints_its_start_what_it_does_and_its_end_with_the_duration()
    {
        var observer = new ImageObserver(_plain, null, _clock);

        observer.StepStarted("rootfs");
        observer.Say("rootfs: mmdebstrap 312 packages (group image-base) from the bundle alone");
        observer.StepFinished(new StepTiming("rootfs", TimeSpan.FromSeconds(41.26)));

        Assert.Equal("""
            rootfs: started
            rootfs: mmdebstrap 312 packages (group image-base) from the bundle alone
            rootfs: done in 41.3 s

            """, _plain.ToString());
    }

    [Fact]
    public void Side_by_side_conversions_print_every_tenth_each_and_their_100()
    {
        var observer = new ImageObserver(_plain, null, _clock);

        foreach (var percent in new[] { 0.0, 3.5, 9.99, 10.0, 14.2, 55.0, 99.9, 100.0 })
        {
            observer.Report(new ConvertProgress("a.qcow2", percent));
            observer.Report(new ConvertProgress("a.vmdk", percent / 2));
        }

        observer.Report(new ConvertProgress("a.vmdk", 100));

        Assert.Equal("""
              convert: a.qcow2 0%
              convert: a.vmdk 0%
              convert: a.qcow2 10%
              convert: a.qcow2 55%
              convert: a.vmdk 27%
              convert: a.qcow2 99%
              convert: a.vmdk 49%
              convert: a.qcow2 100%
              convert: a.vmdk 50%
              convert: a.vmdk 100%

            """, _plain.ToString());
    }

    [Fact]
    public async Task Under_json_progress_goes_to_stderr_and_never_as_bars()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var io = CliIo.Plain(output, error);

        var asJson = await ProgressDisplay.RunAsync(io, json: true, (bars, plain) => Task.FromResult((bars, plain)));
        var asLines = await ProgressDisplay.RunAsync(io, json: false, (bars, plain) => Task.FromResult((bars, plain)));

        Assert.Null(asJson.bars);
        Assert.Same(error, asJson.plain);
        Assert.Null(asLines.bars);
        Assert.Same(output, asLines.plain);
    }
}
