using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>The universe keeps slots, not packages: it reads a name's paragraphs back when first asked, and checks them.</summary>
public sealed class PackageUniverseTests
{
    private const string Text = """
        Package: mawk
        Version: 1.3.4-3
        Priority: required
        Provides: awk

        Package: gawk
        Version: 5.2.1-2
        Provides: awk (= 5.2.1)

        Package: etcd-server
        Version: 3.4.23-4+b3

        Package: etcd-server
        Version: 3.4.23-4+b3

        Package: etcd-server
        Version: 3.4.30-1

        Package: other
        Version: 1
        Architecture: arm64
        """;

    [Fact]
    public void Slots_and_whole_packages_give_the_same_universe()
    {
        var slots = Fixtures.Entries(Text);
        var fromSlots = new PackageUniverse(slots);
        var fromWhole = new PackageUniverse(slots.ToList());

        Assert.IsType<PackageList>(slots);
        foreach (var universe in new[] { fromSlots, fromWhole })
        {
            Assert.Equal(5, universe.Count);
            Assert.Equal(["3.4.30-1", "3.4.23-4+b3"], universe.Versions("etcd-server").Select(v => v.Entry.Version));
            Assert.Equal(["mawk", "gawk"], universe.Providers("awk").Select(p => p.Package.Name));
            Assert.Equal([null, "5.2.1"], universe.Providers("awk").Select(p => p.Version?.ToString()));
            Assert.Same(universe.Versions("gawk")[0], universe.Providers("awk")[1].Package);
            Assert.Equal(["mawk"], universe.RequiredBase().Select(p => p.Name));
            Assert.Empty(universe.Versions("other"));
            Assert.Empty(universe.Versions("awk"));
            Assert.Equal(["etcd-server"], universe.SimilarNames("etcd-servr"));
        }
    }

    [Fact]
    public async Task A_name_is_read_back_when_first_asked_for_and_checked_then()
    {
        using var temp = new TempDirectory();
        var content = Fixtures.Complete(Text);
        var path = temp.Write("Packages", content);
        var (packages, _, _) = await PackagesParser.ReadFileAsync(path, Fixtures.Source(), "t", CancellationToken.None);
        var universe = new PackageUniverse(packages);
        Assert.Equal("5.2.1-2", universe.Versions("gawk")[0].Entry.Version);

        // Same length, another version: only a lookup that reads etcd-server's paragraphs back can notice.
        await File.WriteAllTextAsync(path, content.Replace("3.4.30-1", "3.4.30-2", StringComparison.Ordinal));

        Assert.Equal("5.2.1-2", universe.Versions("gawk")[0].Entry.Version);
        Assert.Equal("1.3.4-3", universe.Versions("mawk")[0].Entry.Version);
        var error = Assert.Throws<IntegrityException>(() => universe.Versions("etcd-server"));
        Assert.Contains("changed since the index was read (it reads etcd-server=3.4.30-2/amd64 now)", error.Message, StringComparison.Ordinal);
    }
}
