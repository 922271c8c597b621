namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>A whole disk of the machine as sysfs shows it: what the installer may write the appliance image onto.</summary>
/// <param name="Name">The kernel's name: <c>vda</c>, <c>sda</c>, <c>nvme0n1</c>.</param>
/// <param name="ById">The <c>/dev/disk/by-id</c> links that lead to the disk itself (not to its partitions).</param>
/// <param name="Partitions">The kernel names of its partitions: <c>vda1</c>, <c>vda2</c>.</param>
/// <param name="Signature">What <c>blkid</c> found on the unpartitioned disk (<c>ext4</c>, <c>LVM2_member</c>), or null: counts like partitions.</param>
public sealed record BlockDisk(
    string Name,
    long SizeBytes,
    bool Removable,
    bool ReadOnly,
    string? Serial,
    string? Model,
    IReadOnlyList<string> ById,
    IReadOnlyList<string> Partitions,
    string? Signature = null)
{
    /// <summary>The disk for messages: <c>vda (32 GiB, serial ABC, model QEMU HARDDISK)</c>.</summary>
    public string Describe()
    {
        List<string> facts = [DiskSize.Format(SizeBytes)];
        if (Serial is not null)
        {
            facts.Add($"serial {Serial}");
        }

        if (Model is not null)
        {
            facts.Add($"model {Model}");
        }

        if (Removable)
        {
            facts.Add("removable");
        }

        return $"{Name} ({string.Join(", ", facts)})";
    }

    /// <summary>True when something is written on the disk that wiping would destroy: partitions or a signature.</summary>
    public bool HoldsData => Partitions.Count > 0 || Signature is not null;
}
