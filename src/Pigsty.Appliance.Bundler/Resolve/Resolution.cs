namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>The resolver's answer: one version per package, ordered by name then architecture, each with its reason.</summary>
/// <param name="Packages">The selection.</param>
/// <param name="Notes">Decisions worth a person's eye: virtual packages with several providers, Recommends left out.</param>
public sealed record Resolution(IReadOnlyList<ResolvedPackage> Packages, IReadOnlyList<string> Notes)
{
    /// <summary>The selected index entries, in selection order (their records are what Fetch downloads and the repo lists).</summary>
    public IEnumerable<Apt.IndexedPackage> Entries => Packages.Select(p => p.Entry);

    /// <summary>How many packages were selected.</summary>
    public int Count => Packages.Count;

    /// <summary>The selected package of that name, or null.</summary>
    public ResolvedPackage? Find(string name) => Packages.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}
