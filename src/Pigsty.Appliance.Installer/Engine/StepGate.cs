namespace Pigsty.Appliance.Installer.Engine;

/// <summary>
/// Work of the run outside the plan that gives an output (see <c>Shared.Outputs</c>): the steps that need <paramref name="Output"/>
/// start once <paramref name="Settled"/> has completed, and if it fails the run stops with its error, as after a failed step.
/// First boot verifies the bundle this way beside the steps that do not read it.
/// </summary>
/// <param name="Output">The output the work gives.</param>
/// <param name="Name">What a waiting step's record says it waited for.</param>
/// <param name="Settled">The work, already started.</param>
public sealed record StepGate(string Output, string Name, Task Settled);
