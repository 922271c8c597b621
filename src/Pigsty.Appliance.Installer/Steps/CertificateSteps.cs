using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>Issues a service certificate from the site CA that INFRA created, once: a valid certificate is kept across runs.</summary>
public static class CertificateSteps
{
    /// <summary>Where INFRA keeps the CA certificate.</summary>
    public const string CaCertificatePath = NodePaths.Pki + "/ca.crt";

    /// <summary>Where INFRA keeps the CA key (root-only).</summary>
    public const string CaKeyPath = NodePaths.Pki + "/ca.key";

    /// <summary>Issues <paramref name="certificate"/> unless the node already has one from the current CA with the same names and a matching key.</summary>
    public static Step Issue(string id, ServerCertificate certificate) => new(
        id,
        $"certificate {certificate.CommonName} from the site CA ({certificate.CertificatePath})",
        (c, t) => IsCurrentAsync(c, certificate, t),
        async (c, t) =>
        {
            var (caPem, keyPem) = await ReadCaAsync(c, id, t);
            var issued = CertificateAuthority.Load(caPem, keyPem)
                .Issue(certificate.CommonName, certificate.DnsNames, certificate.Addresses, DateTimeOffset.UtcNow);

            // Key first: a certificate on disk without its key would look current to nobody, but a key without it is harmless.
            await c.Machine.Files.WriteAsync(certificate.KeyPath, issued.PrivateKeyPem, certificate.KeySpec, t);
            await c.Machine.Files.WriteAsync(certificate.CertificatePath, issued.CertificatePem, certificate.PublicSpec, t);
            await c.Machine.Files.WriteAsync(certificate.CaCopyPath, caPem, certificate.PublicSpec, t);
        },
        async (c, t) =>
        {
            if (!await IsCurrentAsync(c, certificate, t))
            {
                throw new InstallException(id, $"{certificate.CertificatePath} does not verify against {CaCertificatePath} after issuing it");
            }
        });

    private static async Task<(string Certificate, string Key)> ReadCaAsync(StepContext context, string id, CancellationToken cancellationToken)
    {
        var certificate = await context.Machine.Files.ReadAsync(CaCertificatePath, cancellationToken);
        var key = await context.Machine.Files.ReadAsync(CaKeyPath, cancellationToken);
        return certificate is not null && key is not null
            ? (certificate, key)
            : throw new InstallException(id,
                $"the site CA is not on this node ({CaCertificatePath} and {CaKeyPath}); INFRA creates it on the admin node, "
                + "and every node that runs ETCD or PGSQL needs a copy before these modules can issue certificates");
    }

    private static async Task<bool> IsCurrentAsync(StepContext context, ServerCertificate wanted, CancellationToken cancellationToken)
    {
        var files = context.Machine.Files;
        var caPem = await files.ReadAsync(CaCertificatePath, cancellationToken);
        var certPem = await files.ReadAsync(wanted.CertificatePath, cancellationToken);
        var keyPem = await files.ReadAsync(wanted.KeyPath, cancellationToken);
        if (caPem is null || certPem is null || keyPem is null
            || !await files.HasAsync(wanted.CaCopyPath, caPem, wanted.PublicSpec, cancellationToken)
            || !await files.HasAsync(wanted.CertificatePath, certPem, wanted.PublicSpec, cancellationToken)
            || !await files.HasAsync(wanted.KeyPath, keyPem, wanted.KeySpec, cancellationToken))
        {
            return false;
        }

        try
        {
            using var ca = X509Certificate2.CreateFromPem(caPem);
            using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            return CertificateAuthority.ChainsTo(certificate, ca) && HasNames(certificate, wanted) && certificate.NotAfter > DateTime.UtcNow.AddDays(30);
        }
        catch (CryptographicException)
        {
            // A torn or foreign file (or a key that does not match) is simply not current: issue again.
            return false;
        }
    }

    private static bool HasNames(X509Certificate2 certificate, ServerCertificate wanted)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (names is null)
        {
            return false;
        }

        var dns = names.EnumerateDnsNames().ToHashSet(StringComparer.Ordinal);
        var ips = names.EnumerateIPAddresses().ToHashSet();
        return wanted.DnsNames.All(dns.Contains) && wanted.Addresses.All(ips.Contains);
    }
}
