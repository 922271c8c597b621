namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>An asset of a GitHub release, found through the REST API by tag (or <c>latest</c>) and a glob on the asset name.</summary>
public sealed record GitHubReleaseSource(string Owner, string Repository, string Tag, string AssetPattern) : BinarySource
{
    /// <summary>The tag that means "the latest release".</summary>
    public const string Latest = "latest";

    public override string LockLabel => $"github:{Owner}/{Repository}@{Tag}";

    public override string ToString() => $"github {Owner}/{Repository} release {Tag}, asset '{AssetPattern}'";
}
