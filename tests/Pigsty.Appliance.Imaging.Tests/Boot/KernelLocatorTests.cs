using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Boot;

public sealed class KernelLocatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Prefers_the_top_level_links_that_follow_kernel_upgrades()
    {
        Kernel("6.1.0-28-amd64");
        File.CreateSymbolicLink(_temp.File("vmlinuz"), "boot/vmlinuz-6.1.0-28-amd64");
        File.CreateSymbolicLink(_temp.File("initrd.img"), "/boot/initrd.img-6.1.0-28-amd64");

        Assert.Equal(("/vmlinuz", "/initrd.img"), KernelLocator.Find(_temp.Path));
    }

    [Fact]
    public void Without_links_takes_the_newest_kernel_by_numeric_version()
    {
        Kernel("6.1.0-9-amd64");
        Kernel("6.1.0-28-amd64");
        Kernel("6.1.0-10-amd64");
        _temp.Write("boot/vmlinuz-6.1.0-99-amd64", "kernel without initrd");
        File.CreateSymbolicLink(_temp.File("vmlinuz"), "boot/vmlinuz-6.1.0-1-amd64");

        Assert.Equal(("/boot/vmlinuz-6.1.0-28-amd64", "/boot/initrd.img-6.1.0-28-amd64"), KernelLocator.Find(_temp.Path));
    }

    [Fact]
    public void No_kernel_is_an_error_naming_the_tree()
    {
        var error = Assert.Throws<InputException>(() => KernelLocator.Find(_temp.Path));

        Assert.Contains(_temp.Path, error.Message, StringComparison.Ordinal);
    }

    private void Kernel(string version)
    {
        _temp.Write($"boot/vmlinuz-{version}", "kernel");
        _temp.Write($"boot/initrd.img-{version}", "initrd");
    }
}
