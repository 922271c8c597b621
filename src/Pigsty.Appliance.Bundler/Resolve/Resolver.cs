namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>Computes the dependency closure of requested packages from an empty system, the way apt would choose, only smaller.</summary>
public static class Resolver
{
    /// <summary>How many times a conflict may send the resolver back to choose another alternative.</summary>
    private const int MaxBacktracks = 32;

    /// <summary>Resolves <paramref name="request"/> against <paramref name="universe"/>; throws <see cref="ResolutionException"/> when it cannot.</summary>
    public static Resolution Resolve(PackageUniverse universe, ResolveRequest request)
    {
        ArgumentNullException.ThrowIfNull(universe);
        ArgumentNullException.ThrowIfNull(request);
        var avoided = new HashSet<UniversePackage>(ReferenceEqualityComparer.Instance);
        for (var attempt = 0; ; attempt++)
        {
            var run = new ResolverRun(universe, request, avoided, allowBacktrack: attempt < MaxBacktracks);
            if (run.Execute() is { } resolution)
            {
                return resolution;
            }

            avoided.Add(run.Culprit!);
        }
    }
}
