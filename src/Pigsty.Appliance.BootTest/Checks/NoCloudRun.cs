using System.Security.Cryptography;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// The nocloud run: the default single-node layout given as a cloud-init user gives it, an ISO 9660 seed made by Debian's
/// cloud-localds (the inventory under a #cloud-config's pigsty: key, meta-data, and a version 2 network-config with the guest's
/// address static); first boot must finish and PostgreSQL take a write through 5433.
/// </summary>
internal static class NoCloudRun
{
    /// <summary>The instance id the run's meta-data gives.</summary>
    public const string InstanceId = "pigsty-boottest-nocloud";

    /// <summary>The host name the run's meta-data gives.</summary>
    public const string Hostname = "pg-nocloud";

    private const string MetaUser = "{ name: dbuser_meta, pgbouncer: true,";

    /// <summary>The #cloud-config user-data holding <paramref name="inventory"/> under <c>pigsty:</c>, with dbuser_meta's password given.</summary>
    public static string UserData(string inventory, string password)
    {
        var text = WithMetaPassword(inventory, password);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        return $"#cloud-config\n{SeedMedia.UserDataKey}:\n" + string.Concat(lines.Select(l => l.Length == 0 ? "\n" : "  " + l + "\n"));
    }

    /// <summary>The inventory with dbuser_meta's password given, so that the host can log in with it.</summary>
    public static string WithMetaPassword(string inventory, string password)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        return inventory.Contains(MetaUser, StringComparison.Ordinal)
            ? inventory.Replace(MetaUser, $"{{ name: dbuser_meta, password: '{password}', pgbouncer: true,", StringComparison.Ordinal)
            : throw new InvalidOperationException($"the seed has no '{MetaUser}' pg_users entry to give a password");
    }

    /// <summary>QEMU's user network, static: the guest's usual DHCP address, its gateway and DNS.</summary>
    public static string NetworkConfig { get; } =
        $"version: 2\nethernets:\n  nic0:\n    dhcp4: false\n    addresses: [{BootTestSeed.GuestAddress}/24]\n    gateway4: 10.0.2.2\n    nameservers:\n      addresses: [10.0.2.3]\n";

    /// <summary>Makes the seed with cloud-localds, boots it and checks the install and a write through 5433.</summary>
    public static async Task<BootTestRun> RunAsync(BootTester tester, IProcessRunner runner, string image, string work, string inventory, TimeSpan deadline,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant();
        var userData = Path.Combine(work, "nocloud-user-data");
        var metaData = Path.Combine(work, "nocloud-meta-data");
        var network = Path.Combine(work, "nocloud-network-config");
        await File.WriteAllTextAsync(userData, UserData(await File.ReadAllTextAsync(inventory, cancellationToken), password), cancellationToken);
        await File.WriteAllTextAsync(metaData, $"instance-id: {InstanceId}\nlocal-hostname: {Hostname}\n", cancellationToken);
        await File.WriteAllTextAsync(network, NetworkConfig, cancellationToken);
        var seed = Path.Combine(work, "nocloud-seed.iso");
        await runner.RunAsync(ProcessSpec.Of("cloud-localds", "--filesystem=iso9660", $"--network-config={network}", seed, userData, metaData), cancellationToken);

        var options = new BootTestOptions(image, Firmware.Uefi, work) { Seed = seed, Deadline = deadline };
        return await tester.RunAsync("nocloud", options, async (_, guest, result, token) =>
        [
            GuestChecks.InstallDone(result),
            await PostgresChecks.WriteReadAsync(guest, 5433, "dbuser_meta", password, "nocloud", token),
        ], cancellationToken);
    }
}
