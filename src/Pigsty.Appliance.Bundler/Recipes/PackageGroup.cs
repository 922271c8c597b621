namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>A named set of packages (named after Pigsty's groups); <see cref="Recommends"/> says whether their Recommends are followed.</summary>
public sealed record PackageGroup(string Name, IReadOnlyList<string> Packages, bool Recommends);
