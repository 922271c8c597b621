using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

public sealed class AcceleratorProbeTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ScriptedProcesses _qemu = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A probe that finds "KVM" at a file of this test's (each test its own, so the per-device verdict is its own too).</summary>
    private AcceleratorProbe WithKvm() => new(_qemu, _temp.Write("kvm", ""));

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
        if (!File.Exists(AcceleratorProbe.KvmDevice))
        {
            Assert.Equal(Accelerator.Tcg, first.Accelerator);
        }
    }

    [Fact]
    public async Task KVM_is_chosen_when_the_probe_guest_exits_through_isa_debug_exit()
    {
        _qemu.On(s => s.Arguments.Contains("kvm"), _ => new ProcessResult(67, "", "", TimeSpan.Zero));

        var verdict = await WithKvm().ProbeAsync(CancellationToken.None);

        Assert.Equal((Accelerator.Kvm, "KVM ran the probe guest"), (verdict.Accelerator, verdict.Reason));
        var run = Assert.Single(_qemu.Runs);
        Assert.Equal(QemuCommand.Executable, run.FileName);
        Assert.Equal(["-accel", "kvm"], run.Arguments.Take(2));
        Assert.Contains("isa-debug-exit,iobase=0xf4,iosize=0x04", run.Arguments);
    }

    [Fact]
    public async Task A_KVM_that_fails_on_the_first_instruction_means_TCG_at_once()
    {
        _qemu.On(_ => true, _ => new ProcessResult(1, "", "KVM internal error. Suberror: 1\nemulation failure\n", TimeSpan.Zero));

        var verdict = await WithKvm().ProbeAsync(CancellationToken.None);

        Assert.Equal((Accelerator.Tcg, "KVM is present but broken: KVM internal error. Suberror: 1"), (verdict.Accelerator, verdict.Reason));
    }

    [Fact]
    public async Task Any_other_exit_means_TCG_with_qemu_last_words()
    {
        _qemu.On(_ => true, _ => new ProcessResult(1, "", "qemu-system-x86_64: -accel kvm: Could not access KVM kernel module: Permission denied\n", TimeSpan.Zero));

        var verdict = await WithKvm().ProbeAsync(CancellationToken.None);

        Assert.Equal(Accelerator.Tcg, verdict.Accelerator);
        Assert.Equal("KVM probe exited with code 1: qemu-system-x86_64: -accel kvm: Could not access KVM kernel module: Permission denied", verdict.Reason);
    }

    [Fact]
    public async Task Without_the_device_nothing_runs_and_the_verdict_is_kept_for_the_device()
    {
        var missing = _temp.File("no-kvm");

        var verdict = await new AcceleratorProbe(_qemu, missing).ProbeAsync(CancellationToken.None);
        File.WriteAllText(missing, "");
        var again = await new AcceleratorProbe(_qemu, missing).ProbeAsync(CancellationToken.None);

        Assert.Equal((Accelerator.Tcg, $"{missing} does not exist"), (verdict.Accelerator, verdict.Reason));
        Assert.Same(verdict, again);
        Assert.Empty(_qemu.Runs);
    }
}
