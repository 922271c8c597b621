namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>A module an image definition may name in <c>preinstall:</c>, with the packages that preinstalls; the Cli passes the installer's registered modules.</summary>
/// <param name="Name">Lower-case module name, e.g. <c>pgsql</c>.</param>
/// <param name="Packages">What installing it at build time means.</param>
public sealed record ImageModule(string Name, IReadOnlyList<string> Packages);
