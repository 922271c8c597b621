using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Pipelines;

namespace Pigsty.Appliance.Core.Tests.Pipelines;

public sealed class PipelineTests
{
    private readonly List<string> _ran = [];

    private PipelineStep Step(string name, params string[] dependsOn) =>
        PipelineStep.Of(name, _ => { _ran.Add(name); return Task.CompletedTask; }, dependsOn);

    [Fact]
    public async Task Runs_dependencies_first_and_times_every_step()
    {
        var pipeline = new Pipeline("bundle", [Step("seal", "index"), Step("resolve"), Step("index", "fetch"), Step("fetch", "resolve")]);

        var timings = await pipeline.RunAsync(NullLogger.Instance, CancellationToken.None);

        Assert.Equal(["resolve", "fetch", "index", "seal"], _ran);
        Assert.Equal(_ran, timings.Select(t => t.Name));
    }

    [Fact]
    public void Unknown_dependency_is_rejected_before_running()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Pipeline("bundle", [Step("fetch", "resolv")]));

        Assert.Equal("bundle: step 'fetch' depends on unknown step 'resolv'", error.Message);
        Assert.Empty(_ran);
    }

    [Fact]
    public void Cycles_are_rejected_with_their_path()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new Pipeline("image", [Step("a", "c"), Step("b", "a"), Step("c", "b")]));

        Assert.Equal("image: steps form a cycle: a → c → b → a", error.Message);
    }

    [Fact]
    public async Task A_failing_step_is_named_and_keeps_its_exit_code()
    {
        var pipeline = new Pipeline("bundle", [
            Step("resolve"),
            PipelineStep.Of("fetch", _ => throw new IntegrityException("pgbouncer: SHA-256 mismatch"), "resolve"),
            Step("index", "fetch"),
        ]);

        var error = await Assert.ThrowsAsync<StepFailedException>(() => pipeline.RunAsync(NullLogger.Instance, CancellationToken.None));

        Assert.Equal("bundle: step 'fetch' failed: pgbouncer: SHA-256 mismatch", error.Message);
        Assert.Equal(ExitCode.IntegrityFailed, error.ExitCode);
        Assert.Equal(["resolve"], _ran);
    }

    [Fact]
    public async Task The_observer_hears_each_step_start_and_end_and_no_end_of_a_failed_step()
    {
        var observer = new RecordingObserver();
        var pipeline = new Pipeline("image", [
            Step("rootfs"),
            Step("disk", "rootfs"),
            PipelineStep.Of("convert", _ => throw new ToolException("qemu-img", 1, "", "qemu-img exited with code 1"), "disk"),
        ]);

        await Assert.ThrowsAsync<StepFailedException>(() => pipeline.RunAsync(NullLogger.Instance, observer, CancellationToken.None));

        Assert.Equal(["start rootfs", "end rootfs", "start disk", "end disk", "start convert"], observer.Events);
    }

    [Fact]
    public async Task The_observer_hears_the_timings_the_pipeline_returns()
    {
        var observer = new RecordingObserver();

        var timings = await new Pipeline("image", [Step("rootfs"), Step("disk", "rootfs")]).RunAsync(NullLogger.Instance, observer, CancellationToken.None);

        Assert.Equal(timings, observer.Finished);
    }

    private sealed class RecordingObserver : IPipelineObserver
    {
        public List<string> Events { get; } = [];

        public List<StepTiming> Finished { get; } = [];

        public void StepStarted(string name) => Events.Add($"start {name}");

        public void StepFinished(StepTiming timing)
        {
            Events.Add($"end {timing.Name}");
            Finished.Add(timing);
        }
    }
}
