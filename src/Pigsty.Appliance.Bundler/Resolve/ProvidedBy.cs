using Pigsty.Appliance.Bundler.Versions;

namespace Pigsty.Appliance.Bundler.Resolve;

/// <summary>A package that provides a (virtual) name, with the version it provides (null for an unversioned Provides).</summary>
public sealed record ProvidedBy(UniversePackage Package, DebianVersion? Version);
