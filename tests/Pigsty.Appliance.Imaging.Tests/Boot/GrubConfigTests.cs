using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

public sealed class GrubConfigTests
{
    private static readonly Guid Root = new("0b6c5f0e-8d5c-4f39-9a55-3f0c2d2f1e7a");

    [Fact]
    public void Renders_the_golden_grub_cfg()
    {
        var config = new GrubConfig(Root,
        [
            new BootEntry("Pigsty Appliance", "/vmlinuz", "/initrd.img", KernelCommandLine.For(Root)),
            new BootEntry("Pigsty Appliance (rescue, it's single user)", "/vmlinuz.old", null, KernelCommandLine.For(Root, "single")),
        ]);

        Golden.Assert(config.Render(), "Boot/Golden/grub.cfg");
    }

    [Fact]
    public async Task Grub_script_check_accepts_what_we_render()
    {
        using var temp = new TempDirectory();
        var config = GrubConfig.Single(Root, "It's \"quoted\" {braces} $var", "/boot/vmlinuz-6.1.0-28-amd64", "/initrd.img", KernelCommandLine.For(Root, "quiet"));
        var path = temp.Write("grub.cfg", config.Render());

        var check = await HostTools.TryRunAsync("grub-script-check", path);

        Assert.True(check.ExitCode == 0, check.StandardOutput + check.StandardError);
    }

    [Fact]
    public void The_kernel_command_line_has_both_consoles_with_serial_last()
    {
        Assert.Equal($"root=UUID={Root} ro console=tty0 console=ttyS0,115200 quiet", KernelCommandLine.For(Root, " quiet "));
    }

    [Theory]
    [InlineData("root=/dev/vda3 init=$evil")]
    [InlineData("ro; reboot")]
    [InlineData("a 'quoted' word")]
    [InlineData("")]
    public void Command_lines_grub_would_interpret_are_refused(string commandLine)
    {
        var config = GrubConfig.Single(Root, "x", "/vmlinuz", null, commandLine);

        Assert.Throws<InputException>(() => config.Render());
    }
}
