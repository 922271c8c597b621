namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>An asset at a plain http(s) URL.</summary>
public sealed record UrlSource(Uri Url) : BinarySource
{
    public override string LockLabel => $"url:{Url}";

    /// <summary>The last path segment, used as the asset's name.</summary>
    public string FileName => Uri.UnescapeDataString(Url.Segments[^1]);

    public override string ToString() => Url.ToString();
}
