using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>
/// The packages the local (bundled) repository holds, so modules can skip components it lacks instead of failing, and the target
/// platform the bundle was built for (its manifest's <c>os</c>), so one installer renders for Debian 12 and 13 alike.
/// </summary>
/// <param name="platform">The bundle's target; null = Debian 12 (a catalog made in memory, not read from a bundle).</param>
public sealed class RepoCatalog(IReadOnlyDictionary<string, string> versions, TargetPlatform? platform = null)
{
    /// <summary>The Debian release the bundle's packages are from.</summary>
    public TargetPlatform Platform { get; } = platform ?? TargetPlatform.Debian12;

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

        return new RepoCatalog(versions, await PlatformAsync(repoDirectory, cancellationToken));
    }

    /// <summary>The target named by the bundle manifest's <c>os</c> field.</summary>
    public static async Task<TargetPlatform> PlatformAsync(string repoDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(repoDirectory, RepoLayout.Manifest);
        if (!File.Exists(path))
        {
            throw new IntegrityException($"{path} does not exist: the local repository is not a sealed bundle, so its target platform is unknown");
        }

        return SealedManifest.TryReadOs(await File.ReadAllBytesAsync(path, cancellationToken), out var os, out var error)
            ? TargetPlatform.ForOs(os, path)
            : throw new IntegrityException($"{path} is not valid JSON ({error})");
    }

    /// <summary>Every package name the repo has.</summary>
    public IEnumerable<string> Names => versions.Keys;

    /// <summary>True when the repo has a package of this name.</summary>
    public bool Has(string package) => versions.ContainsKey(package);

    /// <summary>The version the repo offers, or null.</summary>
    public string? VersionOf(string package) => versions.GetValueOrDefault(package);
}
