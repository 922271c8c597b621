using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One suite read and verified: its Release, its packages, and how long reading their indexes took.</summary>
/// <param name="Source">The apt source read.</param>
/// <param name="Release">The verified Release content.</param>
/// <param name="Packages">Every package of every component, in index order (compact; <see cref="IndexedPackage.ReadRecord"/> gives the whole record).</param>
/// <param name="ParseTime">Time spent decompressing, hashing and parsing the Packages indexes.</param>
public sealed record AptIndex(AptSource Source, ReleaseFile Release, IReadOnlyList<IndexedPackage> Packages, TimeSpan ParseTime);
