namespace Pigsty.Appliance.Core.Contract;

/// <summary>How a seed inventory reaches a node: volume labels, file names on the volume, the kernel command line argument.</summary>
public static class SeedMedia
{
    /// <summary>The label <c>pigsty-appliance seed</c> writes by default, and the one first boot looks for first.</summary>
    public const string DefaultLabel = "PIGSTY";

    /// <summary>
    /// Labels a seed volume may carry, in the order first boot looks for them: cloud-init's NoCloud label in both spellings, as
    /// udev's by-label links keep the case (cloud-localds and <c>genisoimage -V cidata</c> write it lower case).
    /// </summary>
    public static readonly IReadOnlyList<string> Labels = [DefaultLabel, "CIDATA", "cidata"];

    /// <summary>NoCloud's user data: a <c>#cloud-config</c> whose <see cref="UserDataKey"/> key holds the inventory.</summary>
    public const string UserData = "user-data";

    /// <summary>The key of a <c>#cloud-config</c> user-data under which the inventory (Pigsty's <c>all:</c> mapping) sits.</summary>
    public const string UserDataKey = "pigsty";

    /// <summary>NoCloud's meta data: <c>instance-id</c> and <c>local-hostname</c>.</summary>
    public const string MetaData = "meta-data";

    /// <summary>NoCloud's network configuration (version 2).</summary>
    public const string NetworkConfig = "network-config";

    /// <summary>The inventory's name at the root of a seed volume.</summary>
    public const string InventoryName = "pigsty.yml";

    /// <summary>The kernel command line argument naming a seed file: <c>pigsty.seed=/path/to/pigsty.yml</c>.</summary>
    public const string KernelArgument = "pigsty.seed=";

    /// <summary>The status first boot writes back to the seed volume.</summary>
    public const string StatusWriteBack = "pigsty-status.json";

    /// <summary>The end of the install log first boot writes back to the seed volume.</summary>
    public const string LogWriteBack = "pigsty-install.log";

    /// <summary>The folder on a seed volume holding the node's site material (written by <c>pigsty-appliance site</c>).</summary>
    public const string SiteDirectory = "site";

    /// <summary>The node's identity and network settings in <see cref="SiteDirectory"/> (no secret).</summary>
    public const string SiteNode = "node.yml";

    /// <summary>The shared secrets the node's modules use, in <see cref="SiteDirectory"/>: wiped after a successful install.</summary>
    public const string SiteSecrets = "secrets.yml";

    /// <summary>The site CA's certificate in <see cref="SiteDirectory"/> (its key never leaves the site directory).</summary>
    public const string SiteCaCertificate = "ca.crt";

    /// <summary>A service certificate issued for the node, in <see cref="SiteDirectory"/>: <c>&lt;service&gt;.crt</c>.</summary>
    public static string SiteCertificate(string service) => service + ".crt";

    /// <summary>Its private key: <c>&lt;service&gt;.key</c>, wiped after a successful install.</summary>
    public static string SiteKey(string service) => service + ".key";
}
