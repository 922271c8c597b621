namespace Pigsty.Appliance.Installer.Engine;

/// <summary>One idempotent unit of install work: check (true = nothing to do), converge, then prove it worked.</summary>
/// <param name="Id">Stable dotted id, e.g. <c>infra.nginx.config</c>; the journal keys on it.</param>
/// <param name="Title">What a person reads in the plan and the status.</param>
public sealed record Step(
    string Id,
    string Title,
    Func<StepContext, CancellationToken, Task<bool>> IsDone,
    Func<StepContext, CancellationToken, Task> Apply,
    Func<StepContext, CancellationToken, Task> Verify);
