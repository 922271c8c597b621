using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>The files that make a Debian root filesystem a Pigsty appliance: first-boot units, networking, apt source, banner.</summary>
/// <remarks>Every node path in them comes from <see cref="NodeLayout"/>, which the installer and the boot tests read too.</remarks>
public static class ApplianceFiles
{
    /// <summary>The first-boot unit's name.</summary>
    public const string FirstBootUnitName = "pigsty-firstboot.service";

    /// <summary>The root-growing unit's name.</summary>
    public const string GrowRootUnitName = "pigsty-growroot.service";

    /// <summary>The host-key unit's name.</summary>
    public const string SshKeysUnitName = "pigsty-sshkeys.service";

    /// <summary>Units an appliance image installs and enables.</summary>
    public static readonly IReadOnlyList<string> EnabledUnits =
        [FirstBootUnitName, GrowRootUnitName, SshKeysUnitName, "systemd-networkd.service"];

    /// <summary>Units a plain image (no first boot) installs and enables: host keys and DHCP networking only.</summary>
    public static readonly IReadOnlyList<string> PlainUnits = [SshKeysUnitName, "systemd-networkd.service"];

    /// <summary>The sudoers drop-in of an image's admin user: passwordless sudo (deploy runs the installer through <c>sudo -n</c>).</summary>
    public static string AdminSudoersPath(string user) => $"/etc/sudoers.d/90-{user}";

    /// <summary>Its text; sudo reads the file only with mode 0440 and no dot in its name.</summary>
    public static string AdminSudoers(string user) =>
        $"# written by pigsty-appliance: the image's admin user, for deploy (sudo -n, no password prompt anyone could answer)\n{user} ALL=(ALL:ALL) NOPASSWD: ALL\n";

    /// <summary>An authorized_keys file: one key a line.</summary>
    public static string AuthorizedKeysFile(IReadOnlyList<string> keys) => string.Concat(keys.Select(k => k + "\n"));

    /// <summary>pigsty-firstboot.service: Type=notify (our own sd_notify), once per node, fails visibly, resumes on next boot.</summary>
    public const string FirstBootUnit = $"""
        # written by pigsty-appliance: installs Pigsty from the bundled repository on first boot
        [Unit]
        Description=Pigsty appliance first boot (verify bundle, read seed, install the modules it plans)
        ConditionPathExists=!{NodeLayout.FirstBootDone}
        After=systemd-networkd.service local-fs.target {GrowRootUnitName} {SshKeysUnitName}

        [Service]
        Type=notify
        NotifyAccess=main
        ExecStart={NodeLayout.Installer} firstboot
        # Progress lines (stdout) go to the console too; log detail (stderr) stays in the journal.
        StandardOutput=journal+console
        StandardError=journal
        TimeoutStartSec=infinity
        RemainAfterExit=yes
        Environment=DOTNET_CLI_TELEMETRY_OPTOUT=1

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>pigsty-growroot.service: grows the root partition and filesystem to the disk once, early.</summary>
    public const string GrowRootUnit = $"""
        # written by pigsty-appliance: the image is small; the disk it lands on is not
        [Unit]
        Description=Grow the root partition and filesystem to fill the disk
        ConditionPathExists=!{NodeLayout.GrowRootDone}
        After=systemd-remount-fs.service
        Before={FirstBootUnitName}

        [Service]
        Type=oneshot
        ExecStart={NodeLayout.Installer} growroot
        ExecStartPost=/usr/bin/touch {NodeLayout.GrowRootDone}
        StandardOutput=journal+console

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>
    /// pigsty-sshkeys.service: every node gets its own SSH host keys (the image carries none), and shows them on the console at every
    /// boot (<see cref="HostKeyConsole"/>) so that they can be pinned from there. <c>ssh-keygen -A</c> makes only the missing ones.
    /// </summary>
    public const string SshKeysUnit = $"""
        # written by pigsty-appliance: host keys are made per node, never shipped in the image
        [Unit]
        Description=Generate this node's missing SSH host keys and show them on the console
        Before=ssh.service

        [Service]
        Type=oneshot
        ExecStart=/usr/bin/ssh-keygen -A
        ExecStartPost=/bin/sh -c "sed 's/^/{HostKeyConsole.Prefix}/' /etc/ssh/ssh_host_*_key.pub"
        StandardOutput=journal+console

        [Install]
        WantedBy=multi-user.target

        """;

    /// <summary>systemd-networkd: DHCP on every wired interface (names differ between hypervisors and hardware).</summary>
    public const string DhcpNetwork = """
        # written by pigsty-appliance: DHCP on every Ethernet interface
        [Match]
        Type=ether

        [Network]
        DHCP=yes

        [DHCPv4]
        UseDomains=yes

        """;

    /// <summary>The bundled repository's public key, which apt checks its signed Release against.</summary>
    public const string RepoKey = NodeLayout.Repo + "/" + RepoLayout.PublicKey;

    /// <summary>The only apt source on the image: the bundled repository, checked against its key (never <c>trusted=yes</c>).</summary>
    public const string AptSource = "deb [signed-by=" + RepoKey + "] file:" + NodeLayout.Repo + " ./\n";

    /// <summary>/etc/fstab: the root filesystem by UUID.</summary>
    public static string Fstab(Guid rootUuid) =>
        $"# written by pigsty-appliance\nUUID={rootUuid:D} / ext4 errors=remount-ro 0 1\n";

    /// <summary>/etc/hosts of a node before NODE configures it.</summary>
    public static string Hosts(string hostname) =>
        $"127.0.0.1 localhost\n127.0.1.1 {hostname}\n::1 localhost ip6-localhost ip6-loopback\n";
}
