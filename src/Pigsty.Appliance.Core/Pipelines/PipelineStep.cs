namespace Pigsty.Appliance.Core.Pipelines;

/// <summary>A named step of a pipeline with the steps it depends on; <see cref="Run"/> does the work.</summary>
public sealed record PipelineStep(string Name, IReadOnlyList<string> DependsOn, Func<CancellationToken, Task> Run)
{
    /// <summary>A step that depends on the named earlier steps.</summary>
    public static PipelineStep Of(string name, Func<CancellationToken, Task> run, params string[] dependsOn) =>
        new(name, dependsOn, run);
}
