using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>
/// The node's share of the site, taken from its seed volume's <c>site/</c> folder at first boot, before it plans: identity, the
/// CA certificate, the leaf certificates and keys into <c>/etc/pki</c> (the certificate steps then put each where its service reads
/// it), the shared secrets into credentials.yml, and a manifest of what was given. A volume without <c>site/</c> changes nothing.
/// </summary>
public static class SiteImport
{
    /// <summary>The node's identity and network from <c>site/node.yml</c>, or null when the volume carries no site material.</summary>
    public static async Task<SiteNode?> ReadNodeAsync(string? volume, CancellationToken cancellationToken)
    {
        var path = volume is null ? null : Path.Join(volume, SeedMedia.SiteDirectory, SeedMedia.SiteNode);
        return path is not null && File.Exists(path) ? SiteNode.Parse(await File.ReadAllTextAsync(path, cancellationToken), path) : null;
    }

    /// <summary>
    /// Installs the material into the node's files. Keys and secrets are gone from the volume after a successful install; a later
    /// run then finds the certificates and credentials.yml already in place and leaves them and the manifest as they are.
    /// </summary>
    public static async Task ImportAsync(IFileSystem files, string volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var site = Path.Join(volume, SeedMedia.SiteDirectory);
        var ca = Path.Join(site, SeedMedia.SiteCaCertificate);
        if (!File.Exists(ca))
        {
            throw new InputException(site, $"the seed's site material has no {SeedMedia.SiteCaCertificate}: write the seed again with pigsty-appliance site");
        }

        var services = Directory.EnumerateFiles(site, "*.crt").Select(Path.GetFileName).OfType<string>()
            .Where(f => f != SeedMedia.SiteCaCertificate).Select(f => f[..^".crt".Length]).Order(StringComparer.Ordinal).ToList();
        await files.EnsureDirectoryAsync(NodePaths.Pki, FileSpec.Directory, cancellationToken);
        await files.WriteAsync(NodePaths.Pki + "/" + SeedMedia.SiteCaCertificate, await File.ReadAllTextAsync(ca, cancellationToken), FileSpec.Config, cancellationToken);
        foreach (var service in services)
        {
            var key = Path.Join(site, SeedMedia.SiteKey(service));
            if (File.Exists(key))
            {
                // Key first, root-only; the certificate step gives the service user its own copy with the right owner.
                await files.WriteAsync($"{NodePaths.Pki}/{SeedMedia.SiteKey(service)}", await File.ReadAllTextAsync(key, cancellationToken), FileSpec.Secret, cancellationToken);
            }

            await files.WriteAsync($"{NodePaths.Pki}/{SeedMedia.SiteCertificate(service)}",
                await File.ReadAllTextAsync(Path.Join(site, SeedMedia.SiteCertificate(service)), cancellationToken), FileSpec.Config, cancellationToken);
        }

        var secretsPath = Path.Join(site, SeedMedia.SiteSecrets);
        if (File.Exists(secretsPath))
        {
            var secrets = Credentials.Parse(await File.ReadAllTextAsync(secretsPath, cancellationToken), secretsPath);
            await Credentials.ImportAsync(files, secrets, cancellationToken);
            await files.WriteAsync(NodeLayout.SiteManifest, SiteMaterial.RenderManifest(services, secrets.Keys.Order(StringComparer.Ordinal)), FileSpec.Config, cancellationToken);
        }
        else if (!files.Exists(NodeLayout.SiteManifest))
        {
            throw new InputException(site, $"the seed's site material has no {SeedMedia.SiteSecrets}, and this node never took one: "
                + "write the seed again with pigsty-appliance site");
        }
    }

    /// <summary>
    /// Wipes the keys and the secrets from the volume after a successful install (overwritten with zeros, then removed, so the FAT's
    /// free clusters do not keep them); the inventory, the CA and leaf certificates and node.yml are public and stay. Returns what went.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WipeAsync(string volume, CancellationToken cancellationToken)
    {
        var site = Path.Join(volume, SeedMedia.SiteDirectory);
        if (!Directory.Exists(site))
        {
            return [];
        }

        var wiped = new List<string>();
        foreach (var path in Directory.EnumerateFiles(site, "*.key").Append(Path.Join(site, SeedMedia.SiteSecrets)).Where(File.Exists).Order(StringComparer.Ordinal))
        {
            await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                await stream.WriteAsync(new byte[stream.Length], cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(path);
            wiped.Add($"{SeedMedia.SiteDirectory}/{Path.GetFileName(path)}");
        }

        return wiped;
    }
}
