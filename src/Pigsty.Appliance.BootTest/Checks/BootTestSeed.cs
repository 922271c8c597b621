using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Repository.Archives;
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

    /// <summary>A pg_users entry the full run's seed marks <c>state: absent</c>: the booted VM must not have the role.</summary>
    public const string AbsentUser = "dbuser_gone";

    /// <summary>The node_tune profile of the full run's seed; Pigsty's crit profile flushes dirty pages almost at once.</summary>
    public const string TuneProfile = "crit";

    /// <summary>Pigsty's crit profile's values (roles/node/templates/tuned-crit.conf) of two sysctls no other profile shares, as <c>sysctl -n</c> prints them.</summary>
    public static readonly IReadOnlyList<(string Key, string Value)> TuneSysctls = [("vm.dirty_ratio", "5"), ("vm.dirty_background_ratio", "1")];

    /// <summary>The port of the full run's custom <c>pg_services</c> entry: straight to the primary's postgres.</summary>
    public const int CustomServicePort = 5440;

    /// <summary>The name of that service (HAProxy's <c>listen pg-meta-standby</c>).</summary>
    public const string CustomServiceName = "standby";

    /// <summary>
    /// Pigsty's four <c>pg_default_services</c>, written out as its conf/*.yml do (so the seed sets them rather than relying on the
    /// default), and one <c>pg_services</c> entry of our own.
    /// </summary>
    private const string Services = """
            pg_default_services:
              - { name: primary, port: 5433, dest: default, check: /primary, selector: "[]" }
              - { name: replica, port: 5434, dest: default, check: /read-only, selector: "[]", backup: "[? pg_role == `primary` || pg_role == `offline` ]" }
              - { name: default, port: 5436, dest: postgres, check: /primary, selector: "[]" }
              - { name: offline, port: 5438, dest: postgres, check: /replica, selector: "[? pg_role == `offline` || pg_offline_query ]", backup: "[? pg_role == `replica` && !pg_offline_query]" }
            pg_services:
              - { name: standby, port: 5440, dest: postgres, check: /primary, selector: "[]" }

        """;

    private const string UsersKey = "\n        pg_users:\n";

    /// <summary>
    /// Writes <paramref name="seed"/> as the full run's seed <c>full-seed.yml</c> in <paramref name="directory"/>, with what issue 12
    /// shows in the booted VM: a pg-meta user with <c>state: absent</c>, <c>node_tune</c>, <c>pg_default_services</c> and a custom
    /// <c>pg_services</c> entry; returns its path.
    /// </summary>
    public static async Task<string> WithFidelityAsync(string seed, string directory, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(seed, cancellationToken);
        var users = text.IndexOf(UsersKey, StringComparison.Ordinal);
        if (users < 0)
        {
            throw new InvalidOperationException($"{seed} has no pg_users list in the pg-meta group to add {AbsentUser} to");
        }

        var at = users + UsersKey.Length;
        text = text[..at] + $"          - {{ name: {AbsentUser}, state: absent, comment: dropped by state absent }}\n" + text[at..];
        text = WithVar(text, seed, "node_tune", TuneProfile);
        var vars = text.LastIndexOf("\n  vars:\n", StringComparison.Ordinal) + "\n  vars:\n".Length;
        text = text[..vars] + Services.Replace("\r", "", StringComparison.Ordinal) + text[vars..];
        var path = Path.Combine(directory, "full-seed.yml");
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

    /// <summary>The bundle's (.tgz or .tar.zst) catalog: its <c>pigsty/Packages</c> index and the target its <c>pigsty/manifest.json</c> names.</summary>
    public static async Task<RepoCatalog> BundleCatalogAsync(string bundle, string directory, CancellationToken cancellationToken)
    {
        var into = Path.Combine(directory, "bundle-index");
        string[] wanted = [$"{RepoLayout.RootName}/{RepoLayout.Packages}", $"{RepoLayout.RootName}/{RepoLayout.Manifest}"];
        await ArchiveExtractor.ExtractAsync(bundle, into, wanted.Contains, cancellationToken);
        if (wanted.FirstOrDefault(w => !File.Exists(Path.Combine(into, w))) is { } missing)
        {
            throw new IntegrityException($"{bundle} has no {missing}");
        }

        return await RepoCatalog.LoadAsync(Path.Combine(into, RepoLayout.RootName), cancellationToken);
    }

    /// <summary>True when the bundle has every package MINIO needs.</summary>
    public static bool HasMinio(RepoCatalog bundle) => ObjectStorage.MissingFromBundle(bundle) is null;
}
