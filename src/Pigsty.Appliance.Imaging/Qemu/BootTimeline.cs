using System.Globalization;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>When each boot phase was first seen on the console, counted from QEMU's start.</summary>
public sealed class BootTimeline
{
    private readonly Dictionary<BootPhase, ConsoleLine> _phases = [];

    /// <summary>The line that first showed <paramref name="phase"/>, or null when it has not (yet) been seen.</summary>
    public ConsoleLine? this[BootPhase phase]
    {
        get
        {
            lock (_phases)
            {
                return _phases.GetValueOrDefault(phase);
            }
        }
    }

    /// <summary>Every phase seen so far, earliest first.</summary>
    public IReadOnlyList<KeyValuePair<BootPhase, ConsoleLine>> Phases
    {
        get
        {
            lock (_phases)
            {
                return [.. _phases.OrderBy(p => p.Value.Elapsed)];
            }
        }
    }

    /// <summary>Time from QEMU's start to <paramref name="phase"/>, or null.</summary>
    public TimeSpan? Elapsed(BootPhase phase) => this[phase]?.Elapsed;

    /// <summary>Time between two phases, or null when either is missing.</summary>
    public TimeSpan? Between(BootPhase from, BootPhase to) => Elapsed(to) - Elapsed(from);

    /// <summary>Records the phase unless it was seen before; true when this is its first sighting.</summary>
    internal bool Record(BootPhase phase, ConsoleLine line)
    {
        lock (_phases)
        {
            return _phases.TryAdd(phase, line);
        }
    }

    /// <summary>E.g. <c>bootloader 3.1 s, kernel 5.4 s, userspace 11.0 s, marker 14.2 s</c>.</summary>
    public override string ToString() =>
        string.Join(", ", Phases.Select(p => string.Create(CultureInfo.InvariantCulture,
            $"{p.Key.ToString().ToLowerInvariant()} {p.Value.Elapsed.TotalSeconds:0.0} s")));
}
