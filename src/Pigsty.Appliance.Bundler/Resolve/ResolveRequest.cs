namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>What to resolve: requested packages, and whether the <c>Essential: yes</c> + <c>Priority: required</c> base comes along.</summary>
public sealed record ResolveRequest(IReadOnlyList<PackageRequest> Packages)
{
    /// <summary>Include every Essential or Priority: required package (what debootstrap/mmdebstrap install first).</summary>
    public bool IncludeRequiredBase { get; init; } = true;

    /// <summary>Requests for these names, Recommends not followed, required base included.</summary>
    public static ResolveRequest For(params string[] names) => new(names.Select(n => new PackageRequest(n)).ToList());
}
