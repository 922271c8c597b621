using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>systemd as sets of enabled/active/masked units, with every call recorded.</summary>
internal sealed class FakeServices : IServiceManager
{
    public HashSet<string> Active { get; } = [];

    public HashSet<string> Enabled { get; } = [];

    public HashSet<string> Masked { get; } = [];

    public List<string> Calls { get; } = [];

    /// <summary>When set, starting or restarting this unit throws, like a crash or a power cut mid-step.</summary>
    public string? FailOn { get; set; }

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => Record("daemon-reload");

    public Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken) => Query(() => Active.Contains(unit));

    public Task<bool> IsEnabledAsync(string unit, CancellationToken cancellationToken) => Query(() => Enabled.Contains(unit));

    public Task<bool> IsMaskedAsync(string unit, CancellationToken cancellationToken) => Query(() => Masked.Contains(unit));

    public Task EnableAsync(string unit, CancellationToken cancellationToken) => Record($"enable {unit}", () => Enabled.Add(unit));

    public Task StartAsync(string unit, CancellationToken cancellationToken) => Record($"start {unit}", () => Active.Add(unit));

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => Record($"restart {unit}", () => Active.Add(unit));

    public Task ReloadAsync(string unit, CancellationToken cancellationToken) => Record($"reload {unit}");

    public Task StopAsync(string unit, CancellationToken cancellationToken) => Record($"stop {unit}", () => Active.Remove(unit));

    public Task MaskAsync(string unit, CancellationToken cancellationToken) =>
        Record($"mask {unit}", () => { Masked.Add(unit); Active.Remove(unit); Enabled.Remove(unit); });

    public Task UnmaskAsync(string unit, CancellationToken cancellationToken) => Record($"unmask {unit}", () => Masked.Remove(unit));

    public async Task MaskAsync(IReadOnlyList<string> units, CancellationToken cancellationToken)
    {
        foreach (var unit in units)
        {
            await MaskAsync(unit, cancellationToken);
        }
    }

    private Task<bool> Query(Func<bool> question)
    {
        lock (Calls)
        {
            return Task.FromResult(question());
        }
    }

    public Task<string> JournalTailAsync(string unit, int lines, CancellationToken cancellationToken) =>
        Task.FromResult($"last lines of {unit}");

    private Task Record(string call, Action? effect = null)
    {
        if (FailOn is { } unit && (call == $"start {unit}" || call == $"restart {unit}"))
        {
            throw new IOException($"{call} failed");
        }

        // Steps run side by side: one call at a time changes the sets.
        lock (Calls)
        {
            Calls.Add(call);
            effect?.Invoke();
        }

        return Task.CompletedTask;
    }
}
