namespace Pigsty.Appliance.Cli;

/// <summary>This process's peak resident memory (VmHWM), as Linux reports it.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size in bytes, or null where /proc does not tell.</summary>
    public static long? PeakBytes()
    {
        var line = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            : null;
        var kib = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return long.TryParse(kib, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value * 1024 : null;
    }
}
