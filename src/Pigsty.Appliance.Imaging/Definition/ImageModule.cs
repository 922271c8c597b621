using Pigsty.Appliance.Core.Contract;

namespace Pigsty.Appliance.Imaging.Definition;

/// <summary>A module an image definition may name in <c>preinstall:</c>, with the packages that preinstalls; the Cli passes the installer's registered modules.</summary>
/// <param name="Name">Lower-case module name, e.g. <c>pgsql</c>.</param>
/// <param name="PackagesOn">What installing it at build time means on the image's target (PGSQL's server follows the release's PostgreSQL).</param>
public sealed record ImageModule(string Name, Func<TargetPlatform, IReadOnlyList<string>> PackagesOn);
