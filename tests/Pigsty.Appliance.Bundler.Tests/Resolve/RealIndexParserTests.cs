using System.Diagnostics;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>The streaming parser against the plain deb822 reader on the real bookworm indexes: the same packages, fields and paragraphs.</summary>
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed class RealIndexParserTests(RealArchive archive, ITestOutputHelper output) : IClassFixture<RealArchive>
{
    [Fact]
    public void Every_package_of_the_real_indexes_reads_as_the_whole_paragraph_says()
    {
        var files = archive.Indexes.SelectMany(i => i.Packages).GroupBy(p => p.File).ToList();
        Assert.Equal(3, files.Count);
        var clock = Stopwatch.StartNew();
        var compared = 0;
        foreach (var file in files)
        {
            var packages = file.ToList();
            using var text = File.OpenText(file.Key.Path!);
            var reference = ControlStanza.ParseAll(text).ToList();
            Assert.Equal(reference.Count, packages.Count);
            for (var i = 0; i < packages.Count; i++)
            {
                var (package, stanza) = (packages[i], reference[i]);
                Assert.Equal((stanza["Package"], stanza["Version"], stanza["Architecture"]), (package.Name, package.Version, package.Architecture));
                Assert.Equal((stanza["Priority"], stanza["Multi-Arch"], stanza["Essential"] == "yes"), (package.Priority, package.MultiArch, package.Essential));
                foreach (var field in IndexedPackage.RelationFields)
                {
                    Assert.Equal(stanza[field], package.Relation(field));
                }

                // Reading a paragraph back opens the file: every 25th is plenty to show the offsets are right all along.
                if (i % 25 == 0 || i == packages.Count - 1)
                {
                    Assert.Equal(stanza.Fields, package.ReadRecord().Stanza.Fields);
                    compared++;
                }
            }
        }

        output.WriteLine(archive.LoadReport);
        output.WriteLine($"{files.Sum(f => f.Count())} packages compared with the deb822 reader, {compared} whole paragraphs read back, in {clock.ElapsedMilliseconds} ms");
    }
}
