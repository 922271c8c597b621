namespace Pigsty.Appliance.Installer.Modules;

/// <summary>A step of first boot recognised on the serial console: its name and how its line starts after <c>pigsty: </c>.</summary>
public sealed record ConsoleMilestone(string Name, string Start);
