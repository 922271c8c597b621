namespace Pigsty.Appliance.Core.Net;

/// <summary>What a download must turn out to be; <paramref name="Label"/> names it in errors (a package, an index).</summary>
public sealed record ExpectedContent(string Label, long? Size, string? Sha256);
