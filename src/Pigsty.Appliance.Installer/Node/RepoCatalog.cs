using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>The packages the local (bundled) repository holds, so modules can skip components it lacks instead of failing.</summary>
public sealed class RepoCatalog(IReadOnlyDictionary<string, string> versions)
{
    /// <summary>Reads the flat repo's <c>Packages</c> index.</summary>
    public static async Task<RepoCatalog> LoadAsync(string repoDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(repoDirectory, RepoLayout.Packages);
        if (!File.Exists(path))
        {
            throw new IntegrityException($"{path} does not exist: the local repository is missing or not a bundle (extract {ArtifactNames.BundlePrefix}-*{ArtifactNames.BundleExtension} into {Path.GetDirectoryName(Path.GetFullPath(repoDirectory))})");
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stanza in ControlStanza.ParseAll(new StringReader(text)))
        {
            if (stanza["Package"] is { } name && stanza["Version"] is { } version)
            {
                versions[name] = version;
            }
        }

        return new RepoCatalog(versions);
    }

    /// <summary>True when the repo has a package of this name.</summary>
    public bool Has(string package) => versions.ContainsKey(package);

    /// <summary>The version the repo offers, or null.</summary>
    public string? VersionOf(string package) => versions.GetValueOrDefault(package);
}
