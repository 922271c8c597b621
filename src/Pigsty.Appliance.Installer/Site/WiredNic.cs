namespace Pigsty.Appliance.Installer.Site;

/// <summary>A wired network interface of this machine: its kernel name and MAC address.</summary>
public sealed record WiredNic(string Name, string Mac)
{
    /// <summary>
    /// The machine's Ethernet interfaces backed by a device (sysfs <c>type</c> 1 and a <c>device</c> link: no bridges, veths or
    /// loopback), in ifindex order, so "the first wired NIC" is the one the firmware enumerated first.
    /// </summary>
    public static IReadOnlyList<WiredNic> Read(string sysClassNet = "/sys/class/net")
    {
        if (!Directory.Exists(sysClassNet))
        {
            return [];
        }

        return Directory.EnumerateFileSystemEntries(sysClassNet)
            .Where(d => Path.Exists(Path.Join(d, "device")) && Attribute(d, "type") == "1" && Attribute(d, "address") is { Length: > 0 })
            .Select(d => (Index: int.TryParse(Attribute(d, "ifindex"), out var index) ? index : int.MaxValue, Nic: new WiredNic(Path.GetFileName(d), Attribute(d, "address")!)))
            .OrderBy(x => x.Index).ThenBy(x => x.Nic.Name, StringComparer.Ordinal)
            .Select(x => x.Nic)
            .ToList();
    }

    private static string? Attribute(string directory, string name)
    {
        var path = Path.Join(directory, name);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }
}
