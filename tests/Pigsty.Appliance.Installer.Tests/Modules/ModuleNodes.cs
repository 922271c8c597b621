using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
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

    public static NodeContext Create(string root, string inventoryText, string address, IReadOnlyDictionary<string, string>? repo = null)
    {
        var inventory = InventoryLoader.Parse(inventoryText, "pigsty.yml");
        var host = inventory.FindHost(IPAddress.Parse(address)) ?? throw new ArgumentException($"{address} is not in the inventory");
        var files = new LocalFileSystem(ProcessRunner.Silent, root);
        return new NodeContext(inventory, host, new Credentials(files, host.Vars), new RepoCatalog(repo ?? new Dictionary<string, string>()));
    }

    /// <summary>Writes a fresh site CA where INFRA would, under <paramref name="root"/>.</summary>
    public static void WriteCa(string root)
    {
        var ca = CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow);
        Directory.CreateDirectory(Path.Join(root, NodePaths.Pki));
        File.WriteAllText(Path.Join(root, CertificateSteps.CaCertificatePath), ca.CertificatePem);
        File.WriteAllText(Path.Join(root, CertificateSteps.CaKeyPath), ca.PrivateKeyPem);
    }

    public static StepContext Context(NodeContext node, IMachine machine) => new(node, machine, NullLogger.Instance);
}
