using System.Text;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Repository.Tests.Apt;

public sealed class ControlStanzaTests
{
    private const string Two = """
        Package: pgbouncer
        Version: 1.18.0-1
        Depends: libc6 (>= 2.34), libevent-2.1-7 (>= 2.1.8-stable)
        Description: lightweight connection pooler
         PgBouncer is a PostgreSQL connection pooler.
         .
         Any target application can be connected to it.

        Package: etcd-server
        Version: 3.4.23-4+b3

        """;

    [Fact]
    public void Parses_paragraphs_fields_and_continuations()
    {
        var stanzas = ControlStanza.ParseAll(new StringReader(Two)).ToList();

        Assert.Equal(2, stanzas.Count);
        Assert.Equal("1.18.0-1", stanzas[0]["version"]);
        Assert.Equal("lightweight connection pooler\nPgBouncer is a PostgreSQL connection pooler.\n\nAny target application can be connected to it.",
            stanzas[0]["Description"]);
        Assert.Null(stanzas[1]["Depends"]);
    }

    [Fact]
    public void Writes_back_exactly_what_it_read()
    {
        var output = new StringBuilder();
        foreach (var stanza in ControlStanza.ParseAll(new StringReader(Two)))
        {
            output.Append(output.Length > 0 ? "\n" : "");
            stanza.WriteTo(output);
        }

        Assert.Equal(Two, output.ToString());
    }

    [Fact]
    public void With_replaces_in_place_and_appends_new_fields()
    {
        var stanza = ControlStanza.ParseAll(new StringReader("Package: a\nFilename: pool/a.deb\nSize: 1\n")).Single();

        var changed = stanza.With("filename", "./a.deb").With("SHA256", "ab");

        Assert.Equal(["Package", "Filename", "Size", "SHA256"], changed.Fields.Select(f => f.Key));
        Assert.Equal("./a.deb", changed["Filename"]);
        Assert.Equal("pool/a.deb", stanza["Filename"]);
    }

    [Theory]
    [InlineData("Package: a\nno colon here\n", "line 2: expected 'Field: value', got 'no colon here'")]
    [InlineData(" leading continuation\n", "line 1: continuation line without a field")]
    public void Malformed_lines_name_their_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => ControlStanza.ParseAll(new StringReader(text)).ToList()).Message);
}
