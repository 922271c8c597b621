using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>The site CA (created once, never replaced) and the portal's server certificate it issues.</summary>
internal static class SiteCertificates
{
    /// <summary>A certificate closer than this to its end is issued again.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    /// <summary>
    /// Creates the CA when the node has none. An existing CA is kept whatever it looks like: every certificate of the site
    /// chains to it. A certificate without its key is an error a person must resolve, never a reason to start a new CA.
    /// </summary>
    public static Step Ca(TimeProvider time) => new(
        "infra.ca",
        $"site CA {InfraSettings.CaCertificate} (created once; key root-only)",
        async (c, t) => await CurrentCaAsync(c, t) is not null,
        async (c, t) =>
        {
            var files = c.Machine.Files;
            await files.EnsureDirectoryAsync(NodePaths.Pki, FileSpec.Directory, t);
            var certificate = await files.ReadAsync(InfraSettings.CaCertificate, t);
            var key = await files.ReadAsync(InfraSettings.CaKey, t);
            if (certificate is not null && key is null)
            {
                throw new InstallException("infra.ca",
                    $"{InfraSettings.CaCertificate} exists without its key {InfraSettings.CaKey}; the CA is never regenerated "
                    + $"(every certificate of the site chains to it): restore the key, or remove {InfraSettings.CaCertificate} to start a new CA");
            }

            if (certificate is null)
            {
                // A key without a certificate was never used by anyone: replace it. Key first, so a crash never leaves a public half.
                var root = CertificateAuthority.CreateRoot("pigsty-ca", time.GetUtcNow());
                (certificate, key) = (root.CertificatePem, root.PrivateKeyPem);
            }

            await files.WriteAsync(InfraSettings.CaKey, key!, FileSpec.Secret, t);
            await files.WriteAsync(InfraSettings.CaCertificate, certificate, FileSpec.Config, t);
        },
        async (c, t) =>
        {
            if (await CurrentCaAsync(c, t) is null)
            {
                throw new InstallException("infra.ca", $"{InfraSettings.CaCertificate} and {InfraSettings.CaKey} do not form a CA (the key does not match)");
            }
        });

    /// <summary>nginx's certificate as a service certificate: its site material on a node other than the admin node is the file itself.</summary>
    public static ServerCertificate NginxCertificate(InfraSettings settings) => new("nginx", settings.PortalDomain, settings.CertificateNames,
        settings.CertificateAddresses, InfraSettings.NginxCertificate, InfraSettings.NginxKey, InfraSettings.CaCertificate, FileSpec.Secret);

    /// <summary>On the admin node: nginx's certificate for the portal names and addresses; kept while it chains to the CA and is not about to expire.</summary>
    public static Step Nginx(InfraSettings settings, TimeProvider time) => new(
        "infra.cert",
        $"portal certificate {InfraSettings.NginxCertificate} for {string.Join(", ", settings.CertificateNames)} from the site CA",
        (c, t) => NginxCurrentAsync(c, settings, time, t),
        async (c, t) =>
        {
            var ca = await CurrentCaAsync(c, t) ?? throw new InstallException("infra.cert", $"the site CA ({InfraSettings.CaCertificate}) is missing");
            var issued = ca.Issue(settings.PortalDomain, settings.CertificateNames, settings.CertificateAddresses, time.GetUtcNow());
            await c.Machine.Files.WriteAsync(InfraSettings.NginxKey, issued.PrivateKeyPem, FileSpec.Secret, t);
            await c.Machine.Files.WriteAsync(InfraSettings.NginxCertificate, issued.CertificatePem, FileSpec.Config, t);
        },
        async (c, t) =>
        {
            if (!await NginxCurrentAsync(c, settings, time, t))
            {
                throw new InstallException("infra.cert", $"{InfraSettings.NginxCertificate} does not verify against the site CA after issuing it");
            }
        });

    /// <summary>The CA when certificate and key are present with their modes and belong together, else null.</summary>
    private static async Task<CertificateAuthority?> CurrentCaAsync(StepContext context, CancellationToken cancellationToken)
    {
        var files = context.Machine.Files;
        var certificate = await files.ReadAsync(InfraSettings.CaCertificate, cancellationToken);
        var key = await files.ReadAsync(InfraSettings.CaKey, cancellationToken);
        if (certificate is null || key is null
            || !await files.HasAsync(InfraSettings.CaKey, key, FileSpec.Secret, cancellationToken)
            || !await files.HasAsync(InfraSettings.CaCertificate, certificate, FileSpec.Config, cancellationToken))
        {
            return null;
        }

        try
        {
            return CertificateAuthority.Load(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static async Task<bool> NginxCurrentAsync(StepContext context, InfraSettings settings, TimeProvider time, CancellationToken cancellationToken)
    {
        var files = context.Machine.Files;
        var certificate = await files.ReadAsync(InfraSettings.NginxCertificate, cancellationToken);
        var key = await files.ReadAsync(InfraSettings.NginxKey, cancellationToken);
        if (certificate is null || key is null
            || !await files.HasAsync(InfraSettings.NginxKey, key, FileSpec.Secret, cancellationToken)
            || !await files.HasAsync(InfraSettings.NginxCertificate, certificate, FileSpec.Config, cancellationToken)
            || await CurrentCaAsync(context, cancellationToken) is not { } ca
            || !ca.Issued(certificate, settings.CertificateNames, time.GetUtcNow() + RenewBefore))
        {
            return false;
        }

        try
        {
            // The pair must belong together (a mismatch throws): a key from another issuance would make nginx refuse to start.
            using var pair = X509Certificate2.CreateFromPem(certificate, key);
            return pair.HasPrivateKey;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
