namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>Partition attribute bits of a GPT entry (UEFI 2.10, table 5.8), plus the type-specific bits we use.</summary>
[Flags]
public enum GptAttributes : ulong
{
    /// <summary>No attribute set.</summary>
    None = 0,

    /// <summary>Bit 0: the platform needs this partition to function.</summary>
    RequiredPartition = 1UL << 0,

    /// <summary>Bit 1: firmware must not produce a block I/O protocol for it.</summary>
    NoBlockIoProtocol = 1UL << 1,

    /// <summary>Bit 2: legacy BIOS bootable, which some BIOSes look for before booting a GPT disk.</summary>
    LegacyBiosBootable = 1UL << 2,

    /// <summary>Bit 60 (basic data / Linux): read-only.</summary>
    ReadOnly = 1UL << 60,

    /// <summary>Bit 62 (basic data / Linux): hidden.</summary>
    Hidden = 1UL << 62,

    /// <summary>Bit 63 (basic data / Linux): do not mount automatically.</summary>
    NoAutomount = 1UL << 63,
}
