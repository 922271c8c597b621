namespace Pigsty.Appliance.Imaging.Build;

/// <summary>How far <c>qemu-img convert</c> has written one output image.</summary>
/// <param name="File">The output's file name (no directory), e.g. <c>pigsty-appliance-1.0.d12.x86_64.qcow2</c>.</param>
/// <param name="Percent">0 to 100, as qemu-img reports it.</param>
public sealed record ConvertProgress(string File, double Percent);
