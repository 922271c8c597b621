using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Locking;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>The wrapped packages (already in the cache) and the pins the lock should hold for them.</summary>
public sealed record BinaryBuild(IReadOnlyList<PackageRecord> Records, IReadOnlyList<LockedBinary> Pins);
