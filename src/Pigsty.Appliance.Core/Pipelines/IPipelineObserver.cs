namespace Pigsty.Appliance.Core.Pipelines;

/// <summary>Hears each step of a pipeline start and end, so that a person sees where a long build is and what each part took.</summary>
public interface IPipelineObserver
{
    /// <summary>The named step begins.</summary>
    void StepStarted(string name);

    /// <summary>The step ended without error, after <see cref="StepTiming.Elapsed"/>.</summary>
    void StepFinished(StepTiming timing);
}
