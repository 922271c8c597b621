using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.Yaml;

public sealed class YamlReaderTests
{
    [Fact]
    public void Values_remember_line_column_and_path()
    {
        var root = YamlReader.Parse("a:\n  b: [x, 'y']\n", "f.yml").AsMapping();

        var list = root.Find("a")!.AsMapping().Find("b")!.AsSequence();

        Assert.Equal(new SourceLocation("f.yml", 2, 6), list.Location);
        Assert.Equal("a.b[1]", list.Items[1].Path);
        Assert.False(((YamlScalar)list.Items[1]).IsPlain);
    }

    [Fact]
    public void Keys_with_dots_are_bracketed_in_paths() =>
        Assert.Equal("hosts[10.0.0.1].x", YamlReader.Parse("hosts: { 10.0.0.1: { x: 1 } }", "f").AsMapping()
            .Find("hosts")!.AsMapping().Find("10.0.0.1")!.AsMapping().Find("x")!.Path);

    [Fact]
    public void Duplicate_keys_are_rejected_with_both_lines()
    {
        var error = Assert.Throws<InputException>(() => YamlReader.Parse("a: 1\nb: 2\na: 3\n", "f.yml"));

        Assert.Equal("f.yml:3:1: a: duplicate key 'a' (first defined at line 1)", error.Message);
    }

    [Fact]
    public void Aliases_resolve_to_their_anchor() =>
        Assert.Equal("v", YamlReader.Parse("a: &x v\nb: *x\n", "f").AsMapping().Find("b")!.AsString());

    [Fact]
    public void Syntax_errors_name_file_and_line()
    {
        var error = Assert.Throws<InputException>(() => YamlReader.Parse("a: 'open\n", "f.yml"));

        Assert.StartsWith("f.yml:1:4: YAML syntax error:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_documents_are_rejected() =>
        Assert.Contains("only one YAML document", Assert.Throws<InputException>(() => YamlReader.Parse("a: 1\n---\nb: 2\n", "f")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Empty_file_is_a_null_scalar() =>
        Assert.True(((YamlScalar)YamlReader.Parse("", "f")).IsNull);

    [Fact]
    public async Task Missing_file_is_an_input_error_naming_it()
    {
        using var temp = new TempDirectory();
        var path = temp.File("absent.yml");

        var error = await Assert.ThrowsAsync<InputException>(() => YamlReader.LoadAsync(path, CancellationToken.None));

        Assert.StartsWith(path + ": cannot read the file", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x: one", 4, "expected an integer, got 'one'")]
    [InlineData("x: '1'", 4, "expected an integer, got string '1'")]
    [InlineData("x: [1]", 4, "expected an integer, got a list")]
    [InlineData("x:", 3, "expected an integer, got null")]
    public void Typed_reads_say_what_they_expected_and_got(string text, int column, string message) =>
        Assert.Equal($"f:1:{column}: x: {message}",
            Assert.Throws<InputException>(() => YamlReader.Parse(text, "f").AsMapping().Find("x")!.AsInt()).Message);
}
