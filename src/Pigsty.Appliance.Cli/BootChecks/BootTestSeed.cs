namespace Pigsty.Appliance.Cli.BootChecks;

/// <summary>The default single-node seed as a boot test hands it to a VM: QEMU's guest address, and the test's SSH key for the admin user.</summary>
internal static class BootTestSeed
{
    /// <summary>The address QEMU's user-mode network gives the guest.</summary>
    public const string GuestAddress = "10.0.2.15";

    private const string Placeholder = "10.10.10.10";

    /// <summary>Writes images/seeds/meta.yml with the guest's address and <c>node_admin_pk_list</c>; returns its path.</summary>
    public static async Task<string> WriteAsync(string defaultSeed, string publicKey, string directory, CancellationToken cancellationToken)
    {
        var text = (await File.ReadAllTextAsync(defaultSeed, cancellationToken)).Replace(Placeholder, GuestAddress, StringComparison.Ordinal);
        var vars = text.LastIndexOf("\n  vars:\n", StringComparison.Ordinal);
        if (vars < 0)
        {
            throw new InvalidOperationException($"{defaultSeed} has no all.vars block to add node_admin_pk_list to");
        }

        var at = vars + "\n  vars:\n".Length;
        text = text[..at] + $"    node_admin_pk_list: ['{publicKey}']\n" + text[at..];
        var path = Path.Combine(directory, "boottest-seed.yml");
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }
}
