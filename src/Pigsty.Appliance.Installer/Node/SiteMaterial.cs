using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Node;

/// <summary>
/// The site's PKI files this node holds in <c>/etc/pki</c>, read when the plan is made: a node other than the admin node cannot
/// issue certificates, so it installs only with the certificates issued for it (and the CA certificate) already there.
/// </summary>
public sealed class SiteMaterial(IReadOnlySet<string> files)
{
    /// <summary>A node that holds nothing yet.</summary>
    public static SiteMaterial None { get; } = new(new HashSet<string>(StringComparer.Ordinal));

    /// <summary>Lists <see cref="NodePaths.Pki"/> (changes nothing).</summary>
    public static SiteMaterial Read(IFileSystem files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return new SiteMaterial(files.ListFiles(NodePaths.Pki).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>True when the node holds the file (an absolute node path under <see cref="NodePaths.Pki"/>).</summary>
    public bool Has(string path) => files.Contains(path);
}
