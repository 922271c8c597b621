using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>
/// A service's certificate from the site CA: issued on the admin node (the only node that holds the CA's key), installed from
/// the site material issued for it on any other node; a valid certificate is kept across runs.
/// </summary>
public static class CertificateSteps
{
    /// <summary>Where INFRA keeps the CA certificate.</summary>
    public const string CaCertificatePath = NodePaths.Pki + "/ca.crt";

    /// <summary>Where INFRA keeps the CA key (root-only).</summary>
    public const string CaKeyPath = NodePaths.Pki + "/ca.key";

    /// <summary>
    /// The step for this node: issued here on the admin node; elsewhere installed from <c>/etc/pki/&lt;service&gt;.crt</c> and
    /// <c>.key</c>, which the node must hold when the plan is made (an input error names what is missing): never a CA of its own.
    /// </summary>
    public static Step For(NodeContext node, string id, ServerCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(certificate);
        if (node.Issues)
        {
            return Issue(id, certificate);
        }

        var missing = new[] { CaCertificatePath, certificate.MaterialCertificatePath, certificate.MaterialKeyPath }.Where(f => !node.Material.Has(f)).ToList();
        return missing.Count == 0 ? Install(id, certificate) : throw new InputException(new InputProblem(node.Host.Location, node.Host.Path, node.Material.IsSite
            ? $"{certificate.Service} needs a certificate from the site CA for {certificate.CommonName}, and the seed's site material gives none "
                + $"({string.Join(", ", missing)} missing): write this node's seed again with pigsty-appliance site for this inventory"
            : $"{certificate.Service} needs a certificate from the site CA for {certificate.CommonName}, and only the admin node ({node.AdminIp}) holds the "
            + $"site CA and issues certificates: this node needs {string.Join(", ", missing)} (issued by the site CA for it) before it can install"));
    }

    /// <summary>On a node other than the admin node: checks the site material issued for it and puts it in place with the service's owner and modes.</summary>
    public static Step Install(string id, ServerCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new Step(
            id,
            $"certificate {certificate.CommonName} from the site material ({certificate.MaterialCertificatePath})",
            (c, t) => IsCurrentAsync(c, certificate, t),
            async (c, t) =>
            {
                var files = c.Machine.Files;
                var caPem = await files.ReadAsync(CaCertificatePath, t);
                var certPem = await files.ReadAsync(certificate.MaterialCertificatePath, t);
                var keyPem = await files.ReadAsync(certificate.MaterialKeyPath, t);
                if (caPem is null || certPem is null || keyPem is null || !IsIssuedFor(caPem, certPem, keyPem, certificate))
                {
                    throw new InstallException(id, $"{certificate.MaterialCertificatePath} is not a certificate from the site CA ({CaCertificatePath}) for "
                        + $"{certificate.CommonName} ({string.Join(", ", certificate.DnsNames.Concat(certificate.Addresses.Select(a => a.ToString())))}) "
                        + $"with its key {certificate.MaterialKeyPath}, valid for 30 days more");
                }

                await files.WriteAsync(certificate.KeyPath, keyPem, certificate.KeySpec, t);
                await files.WriteAsync(certificate.CertificatePath, certPem, certificate.PublicSpec, t);
                await files.WriteAsync(certificate.CaCopyPath, caPem, certificate.PublicSpec, t);
            },
            async (c, t) =>
            {
                if (!await IsCurrentAsync(c, certificate, t))
                {
                    throw new InstallException(id, $"{certificate.CertificatePath} does not verify against {CaCertificatePath} after installing it");
                }
            });
    }

    /// <summary>On the admin node: issues <paramref name="certificate"/> unless the node already has one from the current CA with the same names and a matching key.</summary>
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
                + "which must be in the infra group and run INFRA before the modules that need certificates");
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

        return IsIssuedFor(caPem, certPem, keyPem, wanted);
    }

    /// <summary>The pair belongs together, chains to the CA, names what the service needs and stays valid for 30 days more.</summary>
    public static bool IsIssuedFor(string caPem, string certPem, string keyPem, ServerCertificate wanted)
    {
        try
        {
            using var ca = X509Certificate2.CreateFromPem(caPem);
            using var certificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            return CertificateAuthority.ChainsTo(certificate, ca) && HasNames(certificate, wanted) && certificate.NotAfter > DateTime.UtcNow.AddDays(30);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // A torn or foreign file (or a key that does not match) is simply not current: issue (or refuse) it again.
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
