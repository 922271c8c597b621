using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>The default single-node seed as a boot test hands it to a VM: QEMU's guest address, the test's SSH key for the admin user,
/// and pgBackRest's repository on MinIO when the bundle carries minio and mcli (so the test covers MINIO instead of skipping it).</summary>
internal static class BootTestSeed
{
    /// <summary>The address QEMU's user-mode network gives the guest.</summary>
    public const string GuestAddress = "10.0.2.15";

    private const string Placeholder = "10.10.10.10";
    private const string LocalBackups = "\n    pgbackrest_method: local\n";

    /// <summary>Writes images/seeds/meta.yml with the guest's address and <c>node_admin_pk_list</c>, and with
    /// <c>pgbackrest_method: minio</c> when <paramref name="backupsToMinio"/>; returns its path.</summary>
    public static async Task<string> WriteAsync(string defaultSeed, string publicKey, string directory, bool backupsToMinio, CancellationToken cancellationToken)
    {
        var text = (await File.ReadAllTextAsync(defaultSeed, cancellationToken)).Replace(Placeholder, GuestAddress, StringComparison.Ordinal);
        if (backupsToMinio)
        {
            if (!text.Contains(LocalBackups, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{defaultSeed} has no 'pgbackrest_method: local' in all.vars to point at MinIO");
            }

            text = text.Replace(LocalBackups, "\n    pgbackrest_method: minio\n", StringComparison.Ordinal);
        }

        text = WithVar(text, defaultSeed, "node_admin_pk_list", $"['{publicKey}']");
        var path = Path.Combine(directory, "boottest-seed.yml");
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }

    /// <summary>
    /// Packages the image does not carry, from the bundle's node-package group: first boot installs them, which is when the
    /// package resume run cuts power (git brings perl: long enough an unpack to land in).
    /// </summary>
    public static readonly IReadOnlyList<string> ExtraNodePackages = ["git", "rsync", "htop", "sysstat", "tcpdump"];

    /// <summary>Writes <paramref name="seed"/> with <c>node_packages</c> set to <paramref name="packages"/> as <paramref name="name"/> in <paramref name="directory"/>; returns its path.</summary>
    public static async Task<string> WithNodePackagesAsync(string seed, IReadOnlyList<string> packages, string directory, string name, CancellationToken cancellationToken)
    {
        var text = WithVar(await File.ReadAllTextAsync(seed, cancellationToken), seed, "node_packages", $"[{string.Join(", ", packages)}]");
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }

    /// <summary><paramref name="text"/> with <c>name: value</c> first in its all.vars block.</summary>
    private static string WithVar(string text, string source, string name, string value)
    {
        var vars = text.LastIndexOf("\n  vars:\n", StringComparison.Ordinal);
        if (vars < 0)
        {
            throw new InvalidOperationException($"{source} has no all.vars block to add {name} to");
        }

        var at = vars + "\n  vars:\n".Length;
        return text[..at] + $"    {name}: {value}\n" + text[at..];
    }

    /// <summary>True when the bundle (.tgz or .tar.zst) has every package MINIO needs, read from its <c>pigsty/Packages</c> index.</summary>
    public static async Task<bool> BundleHasMinioAsync(IProcessRunner runner, string bundle, string directory, CancellationToken cancellationToken)
    {
        var into = Path.Combine(directory, "bundle-index");
        Directory.CreateDirectory(into);
        await runner.RunAsync(ProcessSpec.Of("tar", "-xf", bundle, "-C", into, $"{RepoLayout.RootName}/{RepoLayout.Packages}"), cancellationToken);
        return ObjectStorage.MissingFromBundle(await RepoCatalog.LoadAsync(Path.Combine(into, RepoLayout.RootName), cancellationToken)) is null;
    }
}
