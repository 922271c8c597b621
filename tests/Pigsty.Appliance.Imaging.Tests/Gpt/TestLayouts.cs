using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

/// <summary>Layouts the tests share: the appliance's own (BIOS boot, ESP, root) and variations.</summary>
internal static class TestLayouts
{
    public const long MiB = 1024 * 1024;

    public static GptLayout ApplianceLayout(long diskBytes, GuidSource guids) => new(diskBytes,
    [
        new PartitionSpec("BIOS boot", GptPartitionTypes.BiosBoot, 1 * MiB, GptAttributes.LegacyBiosBootable),
        new PartitionSpec("EFI system", GptPartitionTypes.EfiSystem, 64 * MiB),
        new PartitionSpec("root", GptPartitionTypes.LinuxRootX8664, null),
    ], guids);
}
