using System.Net;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>A service's certificate from the site CA: its names, where it and its key go, and a copy of the CA beside it.</summary>
/// <param name="Service">Names the site material a node other than the admin node holds for it: <c>/etc/pki/&lt;service&gt;.crt</c> and <c>.key</c>.</param>
/// <param name="KeySpec">Mode and owner of the key (the service user must read it).</param>
public sealed record ServerCertificate(
    string Service,
    string CommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> Addresses,
    string CertificatePath,
    string KeyPath,
    string CaCopyPath,
    FileSpec KeySpec)
{
    /// <summary>The certificate issued for this node by the admin node (site material), on a node that cannot issue it.</summary>
    public string MaterialCertificatePath => $"{Shared.NodePaths.Pki}/{Service}.crt";

    /// <summary>Its key.</summary>
    public string MaterialKeyPath => $"{Shared.NodePaths.Pki}/{Service}.key";

    /// <summary>Mode and owner of the certificate and the CA copy (public data).</summary>
    public FileSpec PublicSpec => FileSpec.Config with { Owner = KeySpec.Owner, Group = KeySpec.Group };
}
