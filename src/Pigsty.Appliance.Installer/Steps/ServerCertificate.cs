using System.Net;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>A service's certificate from the site CA: its names, where it and its key go, and a copy of the CA beside it.</summary>
/// <param name="KeySpec">Mode and owner of the key (the service user must read it).</param>
public sealed record ServerCertificate(
    string CommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<IPAddress> Addresses,
    string CertificatePath,
    string KeyPath,
    string CaCopyPath,
    FileSpec KeySpec)
{
    /// <summary>Mode and owner of the certificate and the CA copy (public data).</summary>
    public FileSpec PublicSpec => FileSpec.Config with { Owner = KeySpec.Owner, Group = KeySpec.Group };
}
