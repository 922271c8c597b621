using System.Text;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Testing;

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
    public async Task A_large_file_streams_in_blocks_and_keeps_order_and_line_numbers()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 40_000; i++)
        {
            text.Append($"Package: pkg{i}\nVersion: 1.{i}\nArchitecture: all\nDescription: {new string('x', 60)}\nFilename: pool/p{i}.deb\nSize: {i}\nSHA256: {Sha}\n\n");
        }

        using var temp = new TempDirectory();
        var path = temp.Write("Packages", text.ToString());
        var (packages, sha256, length) = await PackagesParser.ReadFileAsync(path, Source, "big", CancellationToken.None);

        Assert.Equal(40_000, packages.Count);
        Assert.Equal(Enumerable.Range(0, 40_000).Select(i => $"pkg{i}"), packages.Select(r => r.Name));
        Assert.Equal((Checksums.Sha256(Encoding.UTF8.GetBytes(text.ToString())), (long)text.Length), (sha256, length));
        Assert.Equal("pool/p39999.deb", packages[^1].ReadRecord().Filename);

        text.Append("Package: broken\nno colon\n");
        await File.WriteAllTextAsync(path, text.ToString());
        var error = await Assert.ThrowsAsync<UpstreamException>(() => PackagesParser.ReadFileAsync(path, Source, "big", CancellationToken.None));
        Assert.Equal($"big line {(40_000 * 8) + 2}: expected 'Field: value', got 'no colon'", error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void Blocks_split_anywhere_read_the_same(int blockSize)
    {
        var content = Encoding.UTF8.GetBytes(Two + "\nPackage: last1\nVersion: 2\nArchitecture: all\nFilename: l.deb\nSize: 3\nSHA256: " + Sha);
        var reader = new PackagesReader(PackagesFile.InMemory(content, Source, "t"));
        for (var offset = 0; offset < content.Length; offset += blockSize)
        {
            reader.Feed(content.AsSpan(offset, Math.Min(blockSize, content.Length - offset)));
        }

        reader.Complete();

        Assert.Equal(["pgbouncer=1.18.0-1/amd64", "etcd-server=3.4.23-4+b3/amd64", "last1=2/all"], reader.Packages.Select(p => p.ToString()));
        Assert.Equal("libc6 (>= 2.34),\nlibevent-2.1-7 (>= 2.1.8-stable)", reader.Packages[0].Relation("Depends"));
        Assert.Equal(PackagesParser.Parse(Two, Source, "t")[0].Stanza.Fields, reader.Packages[0].ReadRecord().Stanza.Fields);
        Assert.Equal("3", reader.Packages[2].ReadRecord().Stanza["Size"]);
    }

    [Fact]
    public void Keeps_the_resolver_fields_and_reads_the_rest_back_whole()
    {
        var text = $"""
            Package: mawk
            Version: 1.3.4.20200120-3.1
            Architecture: amd64
            Priority: required
            Multi-Arch: foreign
            pre-depends: libc6 (>= 2.34)
            Provides: awk,
             .
             awk-alt
            Depends: a1
            Depends: a2
            Breaks: b1
            Conflicts: c1
            Recommends: r1
            Essential: yes
            Description: a pattern scanning language
            Filename: pool/main/m/mawk/mawk_1.3.4.20200120-3.1_amd64.deb
            Size: 10
            SHA256: {Sha}

            """;

        var package = PackagesParser.Read(Encoding.UTF8.GetBytes(text), Source, "t").Single();

        Assert.Equal(("required", "foreign", true), (package.Priority, package.MultiArch, package.Essential));
        Assert.Equal("libc6 (>= 2.34)", package.Relation("Pre-Depends"));
        Assert.Equal("awk,\n\nawk-alt", package.Relation("PROVIDES"));
        Assert.Equal("a1", package.Relation("Depends"));
        Assert.Equal(("b1", "c1", "r1"), (package.Relation("Breaks"), package.Relation("Conflicts"), package.Relation("Recommends")));
        Assert.Throws<ArgumentException>(() => package.Relation("Description"));
        Assert.Equal("a pattern scanning language", package.ReadRecord().Stanza["Description"]);
        Assert.Same(package.Architecture, PackagesParser.Read(Encoding.UTF8.GetBytes(text), Source, "t").Single().Architecture);
    }

    [Fact]
    public void Invalid_utf8_names_the_line()
    {
        var content = Encoding.UTF8.GetBytes($"Package: a1\nVersion: 1\nDescription: x\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var error = Assert.Throws<UpstreamException>(() => PackagesParser.Read(content, Source, "t"));

        Assert.Equal("t line 4: not valid UTF-8", error.Message);
    }

    [Fact]
    public async Task A_paragraph_that_changed_since_it_was_read_is_refused()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("Packages", Two);
        var (packages, _, _) = await PackagesParser.ReadFileAsync(path, Source, "t", CancellationToken.None);
        var etcd = packages[1];
        await File.WriteAllTextAsync(path, Two.Replace("3.4.23-4+b3", "3.4.23-4+b4", StringComparison.Ordinal));

        Assert.Equal("pgbouncer", packages[0].ReadRecord().Name);
        var error = Assert.Throws<IntegrityException>(() => etcd.ReadRecord());
        Assert.Equal("t: the paragraph of etcd-server=3.4.23-4+b3/amd64 changed since the index was read; remove the index cache and run again",
            error.Message);
    }

    [Fact]
    public async Task Packages_are_read_back_from_the_index_when_asked_for_and_checked()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("Packages", Two);
        var (packages, _, _) = await PackagesParser.ReadFileAsync(path, Source, "t", CancellationToken.None);

        Assert.IsType<PackageList>(packages);
        Assert.Equal("libc6 (>= 2.34),\nlibevent-2.1-7 (>= 2.1.8-stable)", packages[0].Relation("Depends"));
        await File.WriteAllTextAsync(path, Two.Replace("3.4.23-4+b3", "3.4.23-4+b4", StringComparison.Ordinal));
        Assert.Equal("libc6 (>= 2.34),\nlibevent-2.1-7 (>= 2.1.8-stable)", packages[0].Relation("Depends"));
        Assert.Null(packages[0].Relation("Breaks"));
        var error = Assert.Throws<IntegrityException>(() => packages[1]);
        var offset = Two.IndexOf("Package: etcd-server", StringComparison.Ordinal);
        Assert.Equal($"t: the paragraph at byte {offset} changed since the index was read (it reads etcd-server=3.4.23-4+b4/amd64 now); " +
            "remove the index cache and run again", error.Message);
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
