using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>The site's self-signed CA and the server certificates it issues (ECDSA P-256: fast to generate on small VMs).</summary>
public sealed class CertificateAuthority
{
    private readonly X509Certificate2 _ca;

    private CertificateAuthority(X509Certificate2 ca)
    {
        _ca = ca;
    }

    /// <summary>The CA certificate, PEM.</summary>
    public string CertificatePem => _ca.ExportCertificatePem();

    /// <summary>A new CA named <paramref name="commonName"/>, valid for 20 years.</summary>
    public static IssuedCertificate CreateRoot(string commonName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Pigsty", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(20));
        return new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>Loads a CA from its PEM certificate and key.</summary>
    public static CertificateAuthority Load(string certificatePem, string privateKeyPem) =>
        new(X509Certificate2.CreateFromPem(certificatePem, privateKeyPem));

    /// <summary>A server (and client) certificate for <paramref name="commonName"/> with these DNS names and IPs, valid 10 years.</summary>
    public IssuedCertificate Issue(string commonName, IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}, O=Pigsty", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.Ordinal))
        {
            names.AddDnsName(name);
        }

        foreach (var address in addresses.Distinct())
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(_ca, now.AddDays(-1), Min(now.AddYears(10), _ca.NotAfter), serial);
        return new IssuedCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// True when <paramref name="certificatePem"/> parses, chains to this CA, names every one of <paramref name="dnsNames"/>
    /// and stays valid past <paramref name="validUntil"/>: the test for "keep the certificate we have".
    /// </summary>
    public bool Issued(string certificatePem, IEnumerable<string> dnsNames, DateTimeOffset validUntil)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            return false;
        }

        using (certificate)
        {
            var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToHashSet(StringComparer.Ordinal);
            return ChainsTo(certificate, _ca)
                && new DateTimeOffset(certificate.NotAfter) > validUntil
                && dnsNames.All(names.Contains);
        }
    }

    /// <summary>True when <paramref name="certificate"/> chains to <paramref name="ca"/> alone (no system roots, no revocation checks).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) => a < new DateTimeOffset(b) ? a : new DateTimeOffset(b);
}
