using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Pipelines;

/// <summary>A pipeline step failed; names the step and keeps the cause's exit code.</summary>
public sealed class StepFailedException(string pipeline, string step, ApplianceException cause)
    : ApplianceException($"{pipeline}: step '{step}' failed: {cause.Message}", cause)
{
    public string Step { get; } = step;

    public override ExitCode ExitCode => cause.ExitCode;
}
