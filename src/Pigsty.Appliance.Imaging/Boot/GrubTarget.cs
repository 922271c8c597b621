namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>A GRUB platform we build images for: grub-mkimage's format, its module directory and the modules we embed.</summary>
/// <param name="Format">grub-mkimage <c>-O</c> format.</param>
/// <param name="ModuleDirectory">Where the platform's modules and images are installed (grub-efi-amd64-bin, grub-pc-bin).</param>
/// <param name="Modules">Modules linked into the image; grub-mkimage adds their dependencies.</param>
public sealed record GrubTarget(string Format, string ModuleDirectory, IReadOnlyList<string> Modules)
{
    /// <summary>What both platforms need: normal mode and script, the memdisk holding grub.cfg, GPT, ext4, search by UUID, Linux, serial.</summary>
    public static IReadOnlyList<string> CommonModules { get; } =
    [
        "normal", "memdisk", "tar", "part_gpt", "ext2", "search", "search_fs_uuid", "linux", "echo", "test", "serial", "terminal",
    ];

    /// <summary>UEFI x86-64: BOOTX64.EFI; efi_gop hands the framebuffer to the kernel for <c>console=tty0</c>.</summary>
    public static GrubTarget X8664Efi { get; } = new("x86_64-efi", "/usr/lib/grub/x86_64-efi", [.. CommonModules, "efi_gop"]);

    /// <summary>BIOS: the i386-pc core image; biosdisk reads the disk through INT 13h.</summary>
    public static GrubTarget I386Pc { get; } = new("i386-pc", "/usr/lib/grub/i386-pc", [.. CommonModules, "biosdisk"]);
}
