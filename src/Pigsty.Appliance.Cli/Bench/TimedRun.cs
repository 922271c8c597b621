namespace Pigsty.Appliance.Cli.Bench;

/// <summary>One measured command: wall time, peak memory of its process tree, and what it printed.</summary>
public sealed record TimedRun(string Name, double Seconds, long PeakKib, string Output);
