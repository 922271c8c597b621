using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

public sealed class AcceleratorProbeTests
{
    [Fact]
    public async Task Decides_once_per_process_and_explains_why()
    {
        var probe = new AcceleratorProbe(ProcessRunner.Silent);

        var first = await probe.ProbeAsync(CancellationToken.None);
        var second = await new AcceleratorProbe(ProcessRunner.Silent).ProbeAsync(CancellationToken.None);

        Assert.Same(first, second);
        Assert.NotEqual(Accelerator.Auto, first.Accelerator);
        Assert.False(string.IsNullOrWhiteSpace(first.Reason));
        Assert.True(first.Took < TimeSpan.FromSeconds(30), $"the probe took {first.Took}");
        if (!File.Exists("/dev/kvm"))
        {
            Assert.Equal(Accelerator.Tcg, first.Accelerator);
        }
    }
}
