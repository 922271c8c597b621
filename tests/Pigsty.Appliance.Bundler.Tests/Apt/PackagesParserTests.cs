using System.Text;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Tests.Apt;

public sealed class PackagesParserTests
{
    private static readonly string Sha = new('A', 64);

    private static readonly AptSource Source =
        new("debian", new Uri("http://mirror.invalid/debian/"), "bookworm", ["main"], "amd64", "/k.gpg");

    private static readonly string Two = $"""
        Package: pgbouncer
        Version: 1.18.0-1
        Architecture: amd64
        Depends: libc6 (>= 2.34),
         libevent-2.1-7 (>= 2.1.8-stable)
        Description: lightweight connection pooler
         PgBouncer is a PostgreSQL connection pooler.
         .
         Any target application can be connected to it.
        Filename: pool/main/p/pgbouncer/pgbouncer_1.18.0-1_amd64.deb
        Size: 283712
        SHA256: {Sha}

        Package: etcd-server
        Version: 3.4.23-4+b3
        Architecture: amd64
        Filename: pool/main/e/etcd/etcd-server_3.4.23-4+b3_amd64.deb
        Size: 1
        SHA256: {Sha}

        """;

    [Fact]
    public void Reads_records_and_keeps_the_whole_stanza_as_control_stanza_would()
    {
        var records = PackagesParser.Parse(Two, Source, "t");

        Assert.Equal(2, records.Count);
        var pgbouncer = records[0];
        Assert.Equal(("pgbouncer", "1.18.0-1", "amd64", 283712L), (pgbouncer.Name, pgbouncer.Version, pgbouncer.Architecture, pgbouncer.Size));
        Assert.Equal(Sha.ToLowerInvariant(), pgbouncer.Sha256);
        Assert.Equal("http://mirror.invalid/debian/pool/main/p/pgbouncer/pgbouncer_1.18.0-1_amd64.deb", pgbouncer.Url.ToString());
        Assert.Same(Source, pgbouncer.Source);

        var expected = ControlStanza.ParseAll(new StringReader(Two)).ToList();
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Fields, records[i].Stanza.Fields);
        }

        Assert.Equal("libc6 (>= 2.34),\nlibevent-2.1-7 (>= 2.1.8-stable)", pgbouncer.Stanza["depends"]);
        Assert.Equal("lightweight connection pooler\nPgBouncer is a PostgreSQL connection pooler.\n\nAny target application can be connected to it.",
            pgbouncer.Stanza["Description"]);
        Assert.Null(records[1].Stanza["Depends"]);
        Assert.Equal("3.4.23-4+b3", records[1].Stanza["Version"]);
    }

    [Fact]
    public void Field_lookups_ignore_case_and_absent_fields_are_null()
    {
        var text = $"Package: a1\nVersion: 1\nArchitecture: all\nprovides: awk,\n mawk\nFilename: a.deb\nSize: 1\nSHA256: {Sha}\n";

        var stanza = PackagesParser.Parse(text, Source, "t").Single().Stanza;

        Assert.Equal("awk,\nmawk", stanza["Provides"]);
        Assert.Equal("awk,\nmawk", stanza["PROVIDES"]);
        Assert.Null(stanza["Depends"]);
        Assert.Null(stanza["Homepage"]);
        Assert.Equal("all", stanza["architecture"]);
    }

    [Fact]
    public void Writes_back_what_it_read()
    {
        var output = new StringBuilder();
        foreach (var record in PackagesParser.Parse(Two, Source, "t"))
        {
            output.Append(output.Length > 0 ? "\n" : "");
            record.Stanza.WriteTo(output);
        }

        Assert.Equal(Two, output.ToString());
    }

    [Fact]
    public void Large_input_is_split_in_parallel_chunks_and_keeps_order_and_line_numbers()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40_000; i++)
        {
            text.Append($"Package: pkg{i}\nVersion: 1.{i}\nArchitecture: all\nDescription: {new string('x', 60)}\nFilename: pool/p{i}.deb\nSize: {i}\nSHA256: {Sha}\n\n");
        }

        var records = PackagesParser.Parse(text.ToString(), Source, "big");

        Assert.Equal(40_000, records.Count);
        Assert.Equal(Enumerable.Range(0, 40_000).Select(i => $"pkg{i}"), records.Select(r => r.Name));

        text.Append("Package: broken\nno colon\n");
        var error = Assert.Throws<UpstreamException>(() => PackagesParser.Parse(text.ToString(), Source, "big"));
        Assert.Equal($"big line {(40_000 * 8) + 2}: expected 'Field: value', got 'no colon'", error.Message);
    }

    [Theory]
    [InlineData("Package: a1\n x\n", "line 2: field Package must be one line")]
    [InlineData(" x\n", "line 1: continuation line without a field")]
    [InlineData("Version: 1\n", "line 1: paragraph has no Package field")]
    [InlineData("Package: Bad_Name\n", "line 1: invalid package name 'Bad_Name'")]
    [InlineData("Package: a1\nVersion: 1_0\n", "line 1: package 'a1' has an invalid Version '1_0'")]
    [InlineData("Package: a1\nVersion: 1\nArchitecture: amd64\nFilename: ../../etc/passwd\n", "line 1: package 'a1' has an unsafe Filename '../../etc/passwd'")]
    [InlineData("Package: a1\nVersion: 1\nArchitecture: amd64\nFilename: /abs.deb\n", "line 1: package 'a1' has an unsafe Filename '/abs.deb'")]
    [InlineData("Package: a1\nVersion: 1\nArchitecture: amd64\nFilename: a.deb\nSize: -1\n", "line 1: package 'a1' has no valid Size")]
    [InlineData("Package: a1\nVersion: 1\nArchitecture: amd64\nFilename: a.deb\nSize: 1\nSHA256: 12\n", "line 1: package 'a1' has no valid SHA256")]
    [InlineData("Package: a1\nVersion: 1\nVersion: 2\n", "line 3: field Version appears twice in the paragraph starting at line 1")]
    [InlineData("Package: a1\nVersion: 1\nArchitecture: amd64\n\nPackage: b1\n", "line 1: package 'a1' has no Filename")]
    public void Malformed_paragraphs_name_the_index_and_line(string text, string message)
    {
        var error = Assert.Throws<UpstreamException>(() => PackagesParser.Parse(text, Source, "debian bookworm main/binary-amd64/Packages"));

        Assert.Equal($"debian bookworm main/binary-amd64/Packages {message}", error.Message);
    }
}
