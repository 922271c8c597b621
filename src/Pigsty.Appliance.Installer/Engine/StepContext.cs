using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Installer.Machine;

using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>What a step works with: the node's view of the inventory, the machine, and a logger.</summary>
public sealed record StepContext(NodeContext Node, IMachine Machine, ILogger Logger)
{
    /// <summary>Where the running step records its readiness waits and notes (the engine gives every step run its own).</summary>
    public StepTrace Trace { get; init; } = new();
}
