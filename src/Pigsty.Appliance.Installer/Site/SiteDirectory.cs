using System.Security.Cryptography;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Site;

/// <summary>
/// The operator's site directory (0700), made once before any node boots: the site CA (its key never leaves this directory), every
/// shared secret, and under <c>nodes/&lt;ip&gt;/</c> each node's identity, leaf certificates and keys and the secrets its modules use.
/// A re-run keeps the CA and the secrets, adds what is missing and issues a certificate again only when it is missing or no longer fits.
/// </summary>
public static class SiteDirectory
{
    /// <summary>The site CA's certificate.</summary>
    public const string CaCertificate = "ca.crt";

    /// <summary>The site CA's key: only here, on no node and in no seed.</summary>
    public const string CaKey = "ca.key";

    /// <summary>Every shared secret of the site.</summary>
    public const string Secrets = "secrets.yml";

    /// <summary>Per-node material, one folder per inventory address.</summary>
    public const string Nodes = "nodes";

    /// <summary>One seed image per node: <c>seeds/&lt;ip&gt;.img</c>.</summary>
    public const string Seeds = "seeds";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = Private | UnixFileMode.UserExecute;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes (or completes) the site directory for <paramref name="inventory"/>; every input is checked before anything is written.</summary>
    public static async Task<SiteResult> WriteAsync(PigstyInventory inventory, SiteOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var plans = inventory.Hosts.Select(h => Plan(inventory, h, options)).ToList();
        var root = Path.GetFullPath(options.Directory);
        var (caPem, caKeyPem) = ReadCa(root);
        var secretsPath = Path.Join(root, Secrets);
        var secrets = File.Exists(secretsPath) ? Credentials.Parse(await File.ReadAllTextAsync(secretsPath, cancellationToken), secretsPath) : [];
        EnsureWritable(root);

        var caCreated = caPem is null;
        if (caCreated)
        {
            var created = CertificateAuthority.CreateRoot("pigsty-ca", time.GetUtcNow());
            (caPem, caKeyPem) = (created.CertificatePem, created.PrivateKeyPem);

            // Key first: a certificate without its key would block every later run, a key without a certificate is replaced.
            await WriteAsync(Path.Join(root, CaKey), caKeyPem, Private, cancellationToken);
            await WriteAsync(Path.Join(root, CaCertificate), caPem, Public, cancellationToken);
        }

        var added = plans.SelectMany(p => p.Secrets).Distinct(StringComparer.Ordinal).Where(n => !secrets.ContainsKey(n)).Order(StringComparer.Ordinal).ToList();
        foreach (var name in added)
        {
            secrets[name] = Credentials.Generate(24);
        }

        if (added.Count > 0)
        {
            await WriteAsync(secretsPath, Credentials.Render(secrets, Header("every shared secret of the site")), Private, cancellationToken);
        }

        var ca = CertificateAuthority.Load(caPem!, caKeyPem!);
        var (issued, kept) = (0, 0);
        var seeds = new List<SiteSeed>();
        foreach (var (host, node, certificates, names) in plans)
        {
            var directory = Path.Join(root, Nodes, host.Address.ToString());
            Directory.CreateDirectory(directory, PrivateDirectory);
            File.SetUnixFileMode(Path.Join(root, Nodes), PrivateDirectory);
            var files = new List<(string, string)>
            {
                (SeedMedia.SiteNode, await WriteAsync(Path.Join(directory, SeedMedia.SiteNode), node.Render(), Public, cancellationToken)),
                (SeedMedia.SiteCaCertificate, Path.Join(root, CaCertificate)),
                (SeedMedia.SiteSecrets, await WriteAsync(Path.Join(directory, SeedMedia.SiteSecrets),
                    Credentials.Render(names.ToDictionary(n => n, n => secrets[n], StringComparer.Ordinal), Header($"the secrets of {host.Address}")),
                    Private, cancellationToken)),
            };
            foreach (var certificate in certificates)
            {
                var crt = Path.Join(directory, SeedMedia.SiteCertificate(certificate.Service));
                var key = Path.Join(directory, SeedMedia.SiteKey(certificate.Service));
                if (File.Exists(crt) && File.Exists(key)
                    && CertificateSteps.IsIssuedFor(caPem!, await File.ReadAllTextAsync(crt, cancellationToken), await File.ReadAllTextAsync(key, cancellationToken), certificate))
                {
                    kept++;
                }
                else
                {
                    var leaf = ca.Issue(certificate.CommonName, certificate.DnsNames, certificate.Addresses, time.GetUtcNow());
                    await WriteAsync(key, leaf.PrivateKeyPem, Private, cancellationToken);
                    await WriteAsync(crt, leaf.CertificatePem, Public, cancellationToken);
                    issued++;
                }

                files.Add((SeedMedia.SiteCertificate(certificate.Service), crt));
                files.Add((SeedMedia.SiteKey(certificate.Service), key));
            }

            seeds.Add(new SiteSeed(host, node, certificates.Select(c => c.Service).ToList(), names,
                files.Select(f => ($"{SeedMedia.SiteDirectory}/{f.Item1}", f.Item2)).ToList()));
        }

        return new SiteResult(caCreated, added, issued, kept, seeds);
    }

    /// <summary>
    /// The addressing an earlier run wrote into <paramref name="directory"/>'s <c>nodes/*/node.yml</c>, as options for the next run: the
    /// static prefix, gateway and DNS they share, or none (DHCP, or no node yet). Nodes that disagree (edited by hand) are an input error
    /// naming two of them, since no choice between them would be right for a node added now.
    /// </summary>
    public static SiteOptions KeptAddressing(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var nodes = Path.Join(Path.GetFullPath(directory), Nodes);
        var files = Directory.Exists(nodes)
            ? Directory.GetDirectories(nodes).Select(d => Path.Join(d, SeedMedia.SiteNode)).Where(File.Exists).Order(StringComparer.Ordinal).ToList()
            : [];
        var read = files.Select(f => (File: f, Node: SiteNode.Parse(File.ReadAllText(f), f))).ToList();
        string Describe(SiteNode n) => n.IsStatic
            ? $"static /{n.Prefix}{(n.Gateway is null ? "" : $" via {n.Gateway}")}{(n.DnsServers.Count == 0 ? "" : $" DNS {string.Join(", ", n.DnsServers)}")}"
            : "DHCP";
        if (read.FirstOrDefault(r => Describe(r.Node) != Describe(read[0].Node)) is { File: not null } other)
        {
            throw new InputException(other.File, $"{Describe(other.Node)}, but {read[0].File} says {Describe(read[0].Node)}: the site's nodes disagree on their "
                + "addressing; give --prefix (with --gateway, --dns) for all of them, or fix the file");
        }

        return read.Count == 0 || !read[0].Node.IsStatic
            ? new SiteOptions(directory, null, null, [])
            : new SiteOptions(directory, read[0].Node.Prefix, read[0].Node.Gateway, read[0].Node.DnsServers);
    }

    /// <summary>The node's identity and needs; a network option that does not fit its address is an input error naming it.</summary>
    private static (InventoryHost Host, SiteNode Node, IReadOnlyList<ServerCertificate> Certificates, IReadOnlyList<string> Secrets) Plan(
        PigstyInventory inventory, InventoryHost host, SiteOptions options)
    {
        var node = SiteNode.Create(host.Address, options.Prefix, options.Gateway, options.Dns, null, $"{inventory.Source} host {host.Address}");

        // Planned like the node will: its modules' certificate specs and secret names, from its own effective variables.
        var context = new NodeContext(inventory, host, new Credentials(new LocalFileSystem(ProcessRunner.Silent, options.Directory), host.Vars),
            AssumedBundle(inventory, options.Platform));
        return (host, node, SiteNeeds.Certificates(context), SiteNeeds.Secrets(context));
    }

    /// <summary>
    /// The site is planned for a bundle of <paramref name="platform"/> (<c>site --os</c>) that carries what its inventory asks
    /// (the release's PostgreSQL and any pg_version, MinIO): what a node's bundle really holds is checked when that node plans; the
    /// material only has to cover every service the node may run.
    /// </summary>
    internal static RepoCatalog AssumedBundle(PigstyInventory inventory, TargetPlatform platform)
    {
        var packages = new Dictionary<string, string>(StringComparer.Ordinal) { [ObjectStorage.ServerPackage] = "0", [ObjectStorage.ClientPackage] = "0" };
        foreach (var major in inventory.Hosts.Select(h => h.Vars.Find("pg_version")?.AsInt() ?? platform.PgMajor).Append(platform.PgMajor))
        {
            packages[$"postgresql-{major}"] = "0";
        }

        return new RepoCatalog(packages, platform);
    }

    /// <summary>The CA kept from an earlier run: both halves or neither; a half, or halves that do not belong together, stop the run.</summary>
    private static (string? Certificate, string? Key) ReadCa(string root)
    {
        var certificatePath = Path.Join(root, CaCertificate);
        var keyPath = Path.Join(root, CaKey);
        var certificate = File.Exists(certificatePath) ? File.ReadAllText(certificatePath) : null;
        var key = File.Exists(keyPath) ? File.ReadAllText(keyPath) : null;
        if ((certificate is null) != (key is null))
        {
            throw new InputException(certificate is null ? keyPath : certificatePath,
                $"the site CA is half there ({(certificate is null ? CaCertificate + " is missing" : CaKey + " is missing")}); it is never made again over "
                + "an existing half, as every certificate of the site chains to it: restore the other half, or remove both to start a new site");
        }

        if (certificate is not null)
        {
            try
            {
                _ = CertificateAuthority.Load(certificate, key!);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw new InputException(certificatePath, $"{CaCertificate} and {CaKey} do not form a CA ({e.Message})");
            }
        }

        return (certificate, key);
    }

    /// <summary>Creates the directory 0700 (or narrows it to 0700) and proves a file can be written there, before anything is.</summary>
    private static void EnsureWritable(string root)
    {
        try
        {
            Directory.CreateDirectory(root, PrivateDirectory);
            File.SetUnixFileMode(root, PrivateDirectory);
            var probe = Path.Join(root, $".write-test.{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--dir {root}: cannot write the site directory there ({e.Message})");
        }
    }

    private static async Task<string> WriteAsync(string path, string text, UnixFileMode mode, CancellationToken cancellationToken)
    {
        await AtomicFile.WriteAllTextAsync(path, text, cancellationToken, mode);
        return path;
    }

    private static string Header(string what) => $"# written by pigsty-appliance site: {what}. Keep it like the CA key: it guards the whole site.";
}
