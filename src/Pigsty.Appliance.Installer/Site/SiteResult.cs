namespace Pigsty.Appliance.Installer.Site;

/// <summary>What a site run did: the CA (made now or kept), the secrets added, the certificates issued, and each node's seed contents.</summary>
public sealed record SiteResult(bool CaCreated, IReadOnlyList<string> SecretsAdded, int CertificatesIssued, int CertificatesKept, IReadOnlyList<SiteSeed> Seeds);
