using System.Globalization;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>Proves a sealed repo with <see cref="IRepoProofs"/>, unless a pass is recorded for the same <see cref="ProofKey"/>.</summary>
/// <param name="proofs">The proofs to run.</param>
/// <param name="cache">Where passed proofs are recorded.</param>
/// <param name="time">The clock a record's time comes from.</param>
public sealed class RepoProver(IRepoProofs proofs, ProofCache cache, TimeProvider time)
{
    /// <summary>Reuses a recorded pass for the same content, inputs and tools, or (always when <paramref name="force"/>) runs the proofs and records the pass.</summary>
    /// <param name="request">The repo and what the proofs ask of it.</param>
    /// <param name="force">Run the proofs even when a pass is recorded (--prove).</param>
    /// <param name="step">Told what happens: the reuse, or each proof as it starts.</param>
    /// <param name="warn">Told when the record file was ignored.</param>
    /// <param name="cancellationToken">Cancels the proofs.</param>
    public async Task<ProofOutcome> ProveAsync(ProofRequest request, bool force, Action<string> step, Action<string> warn,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(warn);
        var tools = await proofs.ToolsAsync(cancellationToken);
        var key = await ProofKey.ComputeAsync(request.RepoDirectory, request.Installable, request.Bootstrap, tools, cancellationToken);
        var lookup = await cache.FindAsync(key, cancellationToken);
        if (lookup.Ignored is { } ignored)
        {
            warn(ignored);
        }

        if (!force && lookup.Found is { } found)
        {
            step(string.Create(CultureInfo.InvariantCulture,
                $"already passed for this repo content on {found.Proven.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({key[..12]}, {cache.Path}); --prove repeats it"));
            return new ProofOutcome(found, Reused: true);
        }

        // Dropped first: a forced proof that fails must not leave the earlier pass to be reused by the next build.
        await cache.ForgetAsync(key, cancellationToken);
        step($"apt-get install -s of all {request.Installable.Count} requested packages from the repo alone");
        var installs = await proofs.ProveInstallableAsync(request.RepoDirectory, request.Installable, cancellationToken);
        if (request.Bootstrap.Count > 0)
        {
            step($"mmdebstrap of {request.Bootstrap.Count} packages with the repo as its only mirror");
            await proofs.ProveBootstrapAsync(request.RepoDirectory, request.Bootstrap, cancellationToken);
        }

        var record = new ProofRecord(key, request.Recipe, installs, request.Bootstrap.Count > 0,
            DateTimeOffset.FromUnixTimeSeconds(time.GetUtcNow().ToUnixTimeSeconds()));
        await cache.RememberAsync(record, cancellationToken);
        return new ProofOutcome(record, Reused: false);
    }
}
