using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Definition;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>
/// Makes a bootstrapped Debian tree a Pigsty appliance (identity reset, bundle, installer, seed, units, apt source) or, for a plain image,
/// a Debian host ready for deploy (identity reset, host keys, DHCP, the admin user): see <see cref="ImageDefinition.FirstBoot"/>.
/// </summary>
public sealed class RootfsCustomizer(IProcessRunner runner)
{
    /// <summary>
    /// Customizes <paramref name="root"/>; <paramref name="basePackages"/> are the ones the base group asked for and
    /// <paramref name="preinstalled"/> the modules' packages; <paramref name="authorizedKeys"/> are the admin user's keys (the
    /// definition's and any added).
    /// </summary>
    public async Task CustomizeAsync(string root, ImageDefinition image, TargetPlatform platform, string repoDirectory, string installer, Guid rootUuid,
        IReadOnlyList<string> basePackages, IReadOnlyList<string> preinstalled, IReadOnlyList<string> authorizedKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        string Path(string absolute) => System.IO.Path.Join(root, absolute);
        Task Write(string absolute, string text) => AtomicFile.WriteAllTextAsync(Path(absolute), text, cancellationToken);
        void Remove(string absolute)
        {
            // A dangling symlink does not "exist" for File.Exists, but must still go.
            var file = new FileInfo(Path(absolute));
            if (file.Exists || file.LinkTarget is not null)
            {
                file.Delete();
            }
        }

        // Identity: every node gets its own machine-id (systemd makes it at first boot when the file is empty) and SSH keys.
        await Write("/etc/machine-id", "");
        Remove("/var/lib/dbus/machine-id");
        foreach (var key in Directory.GetFiles(Path("/etc/ssh"), "ssh_host_*"))
        {
            File.Delete(key);
        }

        await Write("/etc/hostname", image.Hostname + "\n");
        await Write("/etc/hosts", ApplianceFiles.Hosts(image.Hostname));
        await Write("/etc/fstab", ApplianceFiles.Fstab(rootUuid));
        await Write("/etc/default/locale", $"LANG={image.Locale}\n");
        await Write("/etc/timezone", image.Timezone + "\n");
        Remove("/etc/localtime");
        File.CreateSymbolicLink(Path("/etc/localtime"), $"/usr/share/zoneinfo/{image.Timezone}");
        // mmdebstrap's source is the build host's unpacked bundle: on the node it would not exist.
        Remove("/etc/apt/sources.list");
        await Write("/etc/systemd/system/" + ApplianceFiles.SshKeysUnitName, ApplianceFiles.SshKeysUnit);
        await Write("/etc/systemd/network/80-pigsty-dhcp.network", ApplianceFiles.DhcpNetwork);
        if (image.AdminUser is { } user)
        {
            await AddAdminAsync(root, user, authorizedKeys, cancellationToken);
        }

        if (!image.FirstBoot)
        {
            // A plain host: no bundle, installer, seed or first boot; deploy brings them. Its apt has no source until NODE writes the bundle's.
            await Systemctl(root, cancellationToken, ["enable", .. ApplianceFiles.PlainUnits, "systemd-networkd-wait-online.service"]);
            return;
        }

        await Write(NodeLayout.Issue, IssueBanner.BeforeFirstBoot(platform));

        // The bundle is the only package source, on the node and for the node.
        await CopyTreeAsync(repoDirectory, Path(NodeLayout.Repo), cancellationToken);
        if (!File.Exists(Path(ApplianceFiles.RepoKey)))
        {
            throw new IntegrityException(SignedBundle.Unsigned(repoDirectory));
        }

        await Write("/etc/apt/sources.list.d/pigsty.list", ApplianceFiles.AptSource);

        Directory.CreateDirectory(Path(NodeLayout.InstallerDirectory));
        File.Copy(installer, Path(NodeLayout.Installer), overwrite: true);
        File.SetUnixFileMode(Path(NodeLayout.Installer), (UnixFileMode)0b111_101_101);
        Remove(NodeLayout.InstallerOnPath);
        File.CreateSymbolicLink(Path(NodeLayout.InstallerOnPath), NodeLayout.Installer);
        Directory.CreateDirectory(Path(NodeLayout.SeedDirectory));
        File.Copy(image.Seed ?? throw new InvalidOperationException("an appliance image has a seed (the loader requires it)"), Path(NodeLayout.DefaultSeed), overwrite: true);
        Directory.CreateDirectory(Path(NodeLayout.StateDirectory));

        await Write("/etc/systemd/system/" + ApplianceFiles.FirstBootUnitName, ApplianceFiles.FirstBootUnit);
        await Write("/etc/systemd/system/" + ApplianceFiles.GrowRootUnitName, ApplianceFiles.GrowRootUnit);

        // Preinstalled packages stay unconfigured: their distro services must not start before first boot configures them, not
        // even pulled in by another unit (hence masked, not only disabled). A module's step writes its own unit over the mask.
        // That holds for what they pulled in as well (nginx.service comes from nginx-common, postgresql.service from
        // postgresql-common), but not for anything the base system needs anyway.
        var distroUnits = await UnitsOfAsync(root, await PulledInAsync(root, basePackages, preinstalled, cancellationToken), cancellationToken);
        if (distroUnits.Count > 0)
        {
            await Systemctl(root, cancellationToken, ["disable", .. distroUnits]);
            await Systemctl(root, cancellationToken, ["mask", .. distroUnits]);
        }

        await Systemctl(root, cancellationToken, ["enable", .. ApplianceFiles.EnabledUnits, "systemd-networkd-wait-online.service"]);
    }

    /// <summary>
    /// The admin user: a home, its own group, the sudo group, passwordless sudo (0440 drop-in), and <paramref name="keys"/> in its
    /// authorized_keys (0600, the .ssh folder 0700, both its own). No password: it logs in by key only.
    /// </summary>
    private async Task AddAdminAsync(string root, string user, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await runner.RunAsync(ProcessSpec.Of("useradd", "--root", root, "--create-home", "--user-group", "--groups", "sudo", "--shell", "/bin/bash", user), cancellationToken);
        var sudoers = System.IO.Path.Join(root, ApplianceFiles.AdminSudoersPath(user));
        await AtomicFile.WriteAllTextAsync(sudoers, ApplianceFiles.AdminSudoers(user), cancellationToken, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var ssh = System.IO.Path.Join(root, "home", user, ".ssh");
        Directory.CreateDirectory(ssh, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await AtomicFile.WriteAllTextAsync(System.IO.Path.Join(ssh, "authorized_keys"), ApplianceFiles.AuthorizedKeysFile(keys), cancellationToken,
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Owned like the home useradd --root made: by the ids the image's own passwd names, not by any name of the build host.
        await runner.RunAsync(ProcessSpec.Of("chown", "-R", $"--reference={System.IO.Path.Join(root, "home", user)}", ssh), cancellationToken);
    }

    private Task Systemctl(string root, CancellationToken cancellationToken, params string[] arguments) =>
        runner.RunAsync(new ProcessSpec("systemctl", [$"--root={root}", "--quiet", .. arguments]), cancellationToken);

    /// <summary>The installed packages <paramref name="preinstalled"/> depend on (themselves included) that neither <paramref name="basePackages"/> nor the required base (minbase) do.</summary>
    private async Task<IReadOnlyList<string>> PulledInAsync(string root, IReadOnlyList<string> basePackages, IReadOnlyList<string> preinstalled,
        CancellationToken cancellationToken)
    {
        if (preinstalled.Count == 0)
        {
            return [];
        }

        var query = await runner.RunAsync(ProcessSpec.Of("dpkg-query", $"--admindir={root}/var/lib/dpkg", "--show", "--showformat=" + InstalledGraph.QueryFormat),
            cancellationToken);
        var graph = InstalledGraph.Parse(query.StandardOutput);
        var baseClosure = graph.ClosureOf(basePackages.Concat(graph.Required));
        return graph.ClosureOf(preinstalled).Where(p => !baseClosure.Contains(p)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Service units shipped by <paramref name="packages"/>, from the tree's dpkg database.</summary>
    private async Task<IReadOnlyList<string>> UnitsOfAsync(string root, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        if (packages.Count == 0)
        {
            return [];
        }

        var listed = await runner.RunAsync(new ProcessSpec("dpkg-query", [$"--admindir={root}/var/lib/dpkg", "--listfiles", .. packages]), cancellationToken);
        return listed.StandardOutput.Split('\n')
            .Where(f => (f.StartsWith("/lib/systemd/system/", StringComparison.Ordinal) || f.StartsWith("/usr/lib/systemd/system/", StringComparison.Ordinal))
                && (f.EndsWith(".service", StringComparison.Ordinal) || f.EndsWith(".socket", StringComparison.Ordinal) || f.EndsWith(".timer", StringComparison.Ordinal))
                && !System.IO.Path.GetFileName(f).Contains('@', StringComparison.Ordinal))
            .Select(System.IO.Path.GetFileName)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    private async Task CopyTreeAsync(string source, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
        if (Directory.Exists(destination))
        {
            Directory.Delete(destination, recursive: true);
        }

        await runner.RunAsync(ProcessSpec.Of("cp", "-a", "--reflink=auto", source, destination), cancellationToken);
    }
}
