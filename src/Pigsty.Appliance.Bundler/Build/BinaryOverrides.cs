using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>Applies command-line binary sources to a recipe: the named component takes that source and is enabled.</summary>
public static class BinaryOverrides
{
    /// <summary>The recipe with each named component's source replaced and the component enabled; an unknown name is a usage error.</summary>
    public static Recipe Apply(Recipe recipe, IReadOnlyDictionary<string, BinarySource> sources)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(sources);
        var unknown = sources.Keys.Where(n => recipe.Binaries.All(b => b.Name != n)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            var known = recipe.Binaries.Count == 0 ? "none" : string.Join(", ", recipe.Binaries.Select(b => b.Name));
            throw new UsageException($"--binary names unknown component(s) {string.Join(", ", unknown)}; recipe {recipe.Source} has {known}");
        }

        return sources.Count == 0
            ? recipe
            : recipe with
            {
                Binaries = recipe.Binaries.Select(b => sources.TryGetValue(b.Name, out var source) ? b with { Source = source, Enabled = true } : b).ToList(),
            };
    }
}
