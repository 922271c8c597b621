namespace Pigsty.Appliance.Installer.Engine;

/// <summary>One step of a <see cref="StepGraph"/>: its place in plan order, its module, and the places of the steps it waits for.</summary>
public sealed record StepNode(int Index, string Module, Step Step, IReadOnlyList<int> Before);
