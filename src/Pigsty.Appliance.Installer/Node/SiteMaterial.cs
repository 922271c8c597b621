using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>
/// The site's PKI files this node holds in <c>/etc/pki</c>, read when the plan is made: a node other than the admin node cannot
/// issue certificates, so it installs only with the certificates issued for it (and the CA certificate) already there. A node
/// seeded by <c>pigsty-appliance site</c> also knows which shared secrets the site gave it (<see cref="NodeLayout.SiteManifest"/>):
/// then no node issues, not even the admin node, and those secrets count as given.
/// </summary>
public sealed class SiteMaterial(IReadOnlySet<string> files, IReadOnlySet<string>? secrets = null)
{
    /// <summary>A node that holds nothing yet.</summary>
    public static SiteMaterial None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>True when the node took its material from a site seed: every certificate comes from it and nothing is issued here.</summary>
    public bool IsSite => secrets is not null;

    /// <summary>Lists <see cref="NodePaths.Pki"/> and reads the site manifest, if any (changes nothing).</summary>
    public static async Task<SiteMaterial> ReadAsync(IFileSystem files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var listed = files.ListFiles(NodePaths.Pki).ToHashSet(StringComparer.Ordinal);
        var manifest = await files.ReadAsync(NodeLayout.SiteManifest, cancellationToken);
        if (manifest is null)
        {
            return new SiteMaterial(listed);
        }

        var names = YamlReader.Parse(manifest, NodeLayout.SiteManifest).AsMapping().Find("secrets")?.AsSequence().Items.Select(i => i.AsString()) ?? [];
        return new SiteMaterial(listed, names.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The manifest's text: the services whose certificates and the names of the secrets the site gave this node.</summary>
    public static string RenderManifest(IEnumerable<string> services, IEnumerable<string> secretNames) =>
        new StringBuilder("# written by pigsty-appliance from the seed's site material: what this node was given (no secret in here)\n")
            .Append("certificates: [").Append(string.Join(", ", services)).Append("]\n")
            .Append("secrets: [").Append(string.Join(", ", secretNames)).Append("]\n")
            .ToString();

    /// <summary>True when the node holds the file (an absolute node path under <see cref="NodePaths.Pki"/>).</summary>
    public bool Has(string path) => files.Contains(path);

    /// <summary>True when the site material gave this node the secret (it is in credentials.yml, the same on every node).</summary>
    public bool HasSecret(string name) => secrets?.Contains(name) == true;
}
