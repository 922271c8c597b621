namespace Pigsty.Appliance.Installer.Engine;

/// <summary>One idempotent unit of install work: check (true = nothing to do), converge, then prove it worked.</summary>
/// <param name="Id">Stable dotted id, e.g. <c>infra.nginx.config</c>; the journal keys on it.</param>
/// <param name="Title">What a person reads in the plan and the status.</param>
/// <remarks>
/// The engine runs a step once everything it depends on has settled: the steps in <see cref="RunsAfter"/> and every step of the plan
/// that gives one of its <see cref="Needs"/>. Steps that depend on nothing of each other run side by side.
/// </remarks>
public sealed record Step(
    string Id,
    string Title,
    Func<StepContext, CancellationToken, Task<bool>> IsDone,
    Func<StepContext, CancellationToken, Task> Apply,
    Func<StepContext, CancellationToken, Task> Verify)
{
    /// <summary>Ids of steps of the same plan that must settle first (a missing id is a planning error).</summary>
    public IReadOnlyList<string> RunsAfter { get; init; } = [];

    /// <summary>Outputs (see <c>Shared.Outputs</c>) this step reads: it waits for every step of the plan that gives one; none on this node is nothing to wait for.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>Outputs this step makes for steps of other modules (a file they read, a service they use).</summary>
    public IReadOnlyList<string> Gives { get; init; } = [];

    /// <summary>The systemd unit files the step's service runs from; a module's units step writes them all with one daemon-reload.</summary>
    public IReadOnlyList<ManagedFile> Units { get; init; } = [];

    /// <summary>
    /// A step the site waits for: once it settles clients can use what the node serves (PGSQL's HAProxy services). The engine runs
    /// the steps on the way to it first and keeps the others to one at a time until it settles.
    /// </summary>
    public bool Serves { get; init; }

    /// <summary>This step, marked as the one clients wait for (see <see cref="Serves"/>).</summary>
    public Step Serving() => this with { Serves = true };

    /// <summary>This step, settling after the steps <paramref name="ids"/>.</summary>
    public Step After(params IEnumerable<string> ids) => this with { RunsAfter = [.. RunsAfter, .. ids] };

    /// <summary>This step, waiting for whatever gives <paramref name="outputs"/>.</summary>
    public Step Needing(params IEnumerable<string> outputs) => this with { Needs = [.. Needs, .. outputs] };

    /// <summary>This step, giving <paramref name="outputs"/> to steps that need them.</summary>
    public Step Giving(params IEnumerable<string> outputs) => this with { Gives = [.. Gives, .. outputs] };
}
