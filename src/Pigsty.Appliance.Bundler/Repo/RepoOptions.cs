namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>What the flat repo's Release says about itself, and whether and how it is signed.</summary>
public sealed record RepoOptions
{
    /// <summary>The Release <c>Origin</c> (usable in apt pinning).</summary>
    public string Origin { get; init; } = "Pigsty";

    /// <summary>The Release <c>Label</c>.</summary>
    public string Label { get; init; } = "Pigsty";

    /// <summary>The Release <c>Suite</c>; apt does not match it against anything for a flat <c>./</c> source.</summary>
    public string Suite { get; init; } = "pigsty";

    /// <summary>The Release <c>Codename</c>.</summary>
    public string Codename { get; init; } = "pigsty";

    /// <summary>An optional one-line description.</summary>
    public string? Description { get; init; }

    /// <summary>The Release <c>Date</c>; the bundle time, so that a rebuild from the same inputs is byte-identical.</summary>
    public required DateTimeOffset Date { get; init; }

    /// <summary>How to sign the Release; null writes an unsigned repo (consumed with <c>[trusted=yes]</c>).</summary>
    public RepoSigning? Signing { get; init; }
}
