namespace Pigsty.Appliance.Core.Contract;

/// <summary>A console line saying a step settled, read back: module, step title, found done already, and how long it took.</summary>
public sealed record SettledStepLine(string Module, string Title, bool AlreadyDone, double Seconds);
