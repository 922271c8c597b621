namespace Pigsty.Appliance.Core.Contract;

/// <summary>Where things are on an appliance node: the image puts them there, first boot and the boot tests rely on them.</summary>
public static class NodeLayout
{
    /// <summary>The installer's program name (also the CLI's).</summary>
    public const string InstallerName = "pigsty-appliance";

    /// <summary>Where the image puts the self-contained installer.</summary>
    public const string InstallerDirectory = "/opt/pigsty/bin";

    /// <summary>The self-contained installer every image carries (also serves small helpers such as the pgbouncer exporter).</summary>
    public const string Installer = InstallerDirectory + "/" + InstallerName;

    /// <summary>A link to <see cref="Installer"/> on root's PATH, so that <c>pigsty-appliance status</c> works at the console.</summary>
    public const string InstallerOnPath = "/usr/local/bin/" + InstallerName;

    /// <summary>Root of the portal served by nginx; the bundled repository lies below it.</summary>
    public const string Www = "/www";

    /// <summary>The bundled repository's directory name (and the bundle tarball's root entry).</summary>
    public const string RepoName = "pigsty";

    /// <summary>The bundled repository on the node (Pigsty's /www/pigsty).</summary>
    public const string Repo = Www + "/" + RepoName;

    /// <summary>Pigsty's configuration directory: seed, credentials, module files.</summary>
    public const string ConfigDirectory = "/etc/pigsty";

    /// <summary>Where the image puts the embedded default seed.</summary>
    public const string SeedDirectory = ConfigDirectory + "/seed";

    /// <summary>The embedded default seed, used when no seed volume and no <c>pigsty.seed=</c> name another.</summary>
    public const string DefaultSeed = SeedDirectory + "/default.yml";

    /// <summary>
    /// The seed the installer medium carried onto the disk (a copy of its seed volume): first boot takes it when no seed volume is
    /// attached, so the installed server needs nothing but its own disk.
    /// </summary>
    public const string CarriedSeed = SeedDirectory + "/carried";

    /// <summary>Where first boot mounts a seed volume.</summary>
    public const string SeedMountPoint = "/run/pigsty/seed";

    /// <summary>Secrets generated at first boot (root only).</summary>
    public const string CredentialsFile = ConfigDirectory + "/credentials.yml";

    /// <summary>What site material this node took from its seed volume (services, secret names; no secret itself).</summary>
    public const string SiteManifest = ConfigDirectory + "/site.yml";

    /// <summary>The static address from the seed's site material; sorts before the image's DHCP file, so it wins on its NIC.</summary>
    public const string StaticNetwork = "/etc/systemd/network/10-pigsty-static.network";

    /// <summary>The installer's state: step journal, markers, status.</summary>
    public const string StateDirectory = "/var/lib/pigsty";

    /// <summary>One JSON file per settled step; a power loss resumes at the first step without one.</summary>
    public const string StepJournal = StateDirectory + "/state";

    /// <summary>Install status read by the portal, the console banner and the boot tests.</summary>
    public const string StatusFile = StateDirectory + "/status.json";

    /// <summary>Written when an install finished; pigsty-firstboot.service does not start again once it exists.</summary>
    public const string FirstBootDone = StateDirectory + "/firstboot.done";

    /// <summary>Written when the root filesystem was grown to the disk; pigsty-growroot.service runs once.</summary>
    public const string GrowRootDone = StateDirectory + "/growroot.done";

    /// <summary>Install log (also in the journal).</summary>
    public const string InstallLog = "/var/log/pigsty/install.log";

    /// <summary>The console login banner.</summary>
    public const string Issue = "/etc/issue";
}
