namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>One thing GRUB can boot: a kernel and initrd on the root filesystem and the kernel command line.</summary>
/// <param name="Title">Menu entry title.</param>
/// <param name="KernelPath">Absolute path of the kernel inside the root filesystem, e.g. <c>/vmlinuz</c>.</param>
/// <param name="InitrdPath">Absolute path of the initrd inside the root filesystem; null for none.</param>
/// <param name="CommandLine">Kernel command line, e.g. from <see cref="KernelCommandLine.For"/>.</param>
public sealed record BootEntry(string Title, string KernelPath, string? InitrdPath, string CommandLine);
