using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Node contexts for module tests: any host of an inventory sample, files under a temp root.</summary>
internal static class ModuleNodes
{
    public static string Sample(string name) => File.ReadAllText(TestData.Path("Modules", "Samples", name));

    /// <summary>The packages of the default bundle (repo-manifests/pigsty-d12.x86_64.lock.json): PostgreSQL 15 and what Debian 12 has.</summary>
    public static IReadOnlyDictionary<string, string> BundlePackages { get; } = ReadLock();

    /// <summary>
    /// A node of the inventory whose repository is the default bundle plus <paramref name="repo"/> (package → version). With
    /// <paramref name="platform"/> Debian 13 the bundle stands in for a trixie one: its PostgreSQL 15 packages become 17's.
    /// </summary>
    public static NodeContext Create(string root, string inventoryText, string address, IReadOnlyDictionary<string, string>? repo = null,
        TargetPlatform? platform = null)
    {
        var inventory = InventoryLoader.Parse(inventoryText, "pigsty.yml");
        var host = inventory.FindHost(IPAddress.Parse(address)) ?? throw new ArgumentException($"{address} is not in the inventory");
        var files = new LocalFileSystem(ProcessRunner.Silent, root);
        var target = platform ?? TargetPlatform.Debian12;
        var packages = BundlePackages.ToDictionary(p => p.Key.Replace("postgresql-15", $"postgresql-{target.PgMajor}", StringComparison.Ordinal), p => p.Value, StringComparer.Ordinal);
        foreach (var (name, version) in repo ?? new Dictionary<string, string>())
        {
            packages[name] = version;
        }

        return new NodeContext(inventory, host, new Credentials(files, host.Vars), new RepoCatalog(packages, target))
        {
            Material = SiteMaterial.ReadAsync(files, CancellationToken.None).GetAwaiter().GetResult(),
        };
    }

    private static Dictionary<string, string> ReadLock()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestData.Path("Modules", "Samples", "bundle.lock.json")));
        return json.RootElement.GetProperty("packages").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("version").GetString()!, StringComparer.Ordinal);
    }

    /// <summary>Writes a fresh site CA where INFRA would, under <paramref name="root"/>.</summary>
    public static void WriteCa(string root)
    {
        var ca = CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Join(root, NodePaths.Pki));
        File.WriteAllText(Path.Join(root, CertificateSteps.CaCertificatePath), ca.CertificatePem);
        File.WriteAllText(Path.Join(root, CertificateSteps.CaKeyPath), ca.PrivateKeyPem);
    }

    /// <summary>
    /// Writes what a node other than the admin node needs to use the site CA's certificates: <c>/etc/pki/ca.crt</c> and, per
    /// service, <c>/etc/pki/&lt;service&gt;.crt</c> and <c>.key</c> issued by <paramref name="ca"/> for the node's address.
    /// </summary>
    public static void WriteSiteMaterial(string root, IssuedCertificate ca, string address, params (string Service, string CommonName, string[] DnsNames)[] services)
    {
        var authority = CertificateAuthority.Load(ca.CertificatePem, ca.PrivateKeyPem);
        Directory.CreateDirectory(Path.Join(root, NodePaths.Pki));
        File.WriteAllText(Path.Join(root, CertificateSteps.CaCertificatePath), ca.CertificatePem);
        foreach (var (service, commonName, dnsNames) in services)
        {
            var issued = authority.Issue(commonName, dnsNames, [IPAddress.Parse(address), IPAddress.Loopback], DateTimeOffset.UtcNow);
            File.WriteAllText(Path.Join(root, NodePaths.Pki, service + ".crt"), issued.CertificatePem);
            File.WriteAllText(Path.Join(root, NodePaths.Pki, service + ".key"), issued.PrivateKeyPem);
        }
    }

    /// <summary>Site material for plans of nodes other than the admin node: a fresh CA's certificate and one certificate per service.</summary>
    public static void WriteSiteMaterial(string root, string address, params string[] services) =>
        WriteSiteMaterial(root, CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow), address,
            [.. services.Select(s => (s, s, new[] { s, "localhost" }))]);

    public static StepContext Context(NodeContext node, IMachine machine) => new(node, machine, NullLogger.Instance);
}
