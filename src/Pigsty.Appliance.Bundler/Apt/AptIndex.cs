using System.Collections;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One suite read and verified: its Release, its packages, and how long reading their indexes took.</summary>
/// <param name="Source">The apt source read.</param>
/// <param name="Release">The verified Release content.</param>
/// <param name="Lists">The packages of each component's index, in the order read (<see cref="PackageList"/> slots, read back on access).</param>
/// <param name="ParseTime">Time spent decompressing, hashing and parsing the Packages indexes.</param>
public sealed record AptIndex(AptSource Source, ReleaseFile Release, IReadOnlyList<IReadOnlyList<IndexedPackage>> Lists, TimeSpan ParseTime)
{
    /// <summary>Every package of every component, in index order; each access reads its paragraph back (<see cref="IndexedPackage.ReadRecord"/> gives the whole record).</summary>
    public IReadOnlyList<IndexedPackage> Packages { get; } = Lists.Count == 1 ? Lists[0] : new Joined(Lists);

    private sealed class Joined(IReadOnlyList<IReadOnlyList<IndexedPackage>> lists) : IReadOnlyList<IndexedPackage>
    {
        public int Count { get; } = lists.Sum(l => l.Count);

        public IndexedPackage this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                foreach (var list in lists)
                {
                    if (index < list.Count)
                    {
                        return list[index];
                    }

                    index -= list.Count;
                }

                throw new ArgumentOutOfRangeException(nameof(index));
            }
        }

        public IEnumerator<IndexedPackage> GetEnumerator() => lists.SelectMany(l => l).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
