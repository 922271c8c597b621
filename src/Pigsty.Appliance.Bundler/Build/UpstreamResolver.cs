using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>Turns a recipe's symbolic upstreams into concrete signed apt sources: --mirror, else the recipe URL, else the host's apt sources.</summary>
public static class UpstreamResolver
{
    public static IReadOnlyList<AptSource> Resolve(Recipe recipe, IReadOnlyDictionary<string, Uri> mirrors, HostAptSources host)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(mirrors);
        ArgumentNullException.ThrowIfNull(host);
        var unknown = mirrors.Keys.Where(m => recipe.Upstreams.All(u => u.Name != m)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--mirror names unknown upstream(s) {string.Join(", ", unknown)}; recipe {recipe.Source} has {string.Join(", ", recipe.Upstreams.Select(u => u.Name))}");
        }

        var sources = new List<AptSource>();
        foreach (var upstream in recipe.EnabledUpstreams)
        {
            if (!File.Exists(upstream.Keyring))
            {
                throw new InputException(recipe.Source,
                    $"upstreams.{upstream.Name}.keyring: {upstream.Keyring} does not exist (needed to verify its Release signatures)");
            }

            foreach (var suite in upstream.Suites)
            {
                var url = mirrors.GetValueOrDefault(upstream.Name) ?? upstream.Url;
                var source = url is null
                    ? host.ToSource(upstream.Name, suite, recipe.Architecture, upstream.Components, upstream.HostSuite)
                    : new AptSource(upstream.Name, new Uri(url.AbsoluteUri.TrimEnd('/') + "/"), suite, upstream.Components, recipe.Architecture, upstream.Keyring);
                sources.Add(source with { Keyring = upstream.Keyring });
            }
        }

        return sources;
    }
}
