using System.Diagnostics;
using System.Text;
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

    [Fact]
    public async Task Deep_nesting_is_an_input_error_naming_file_and_line_not_a_stack_overflow()
    {
        // 41 KB: the size of the file that crashed every loader with a stack overflow (exit 134).
        using var temp = new TempDirectory();
        var path = temp.Write("deep.yml", "all:\n  vars:\n    x: " + new string('[', 20_000) + new string(']', 20_000) + "\n");

        var error = await Assert.ThrowsAsync<InputException>(() => YamlReader.LoadAsync(path, CancellationToken.None));

        // The root (1), all (2), vars (3) and x's first list (4): the list one level too deep is the (MaxDepth - 2)th '[' of line 3.
        Assert.Equal($"{path}:3:{YamlLimits.MaxDepth + 5}: all.vars.x{string.Concat(Enumerable.Repeat("[0]", YamlLimits.MaxDepth - 3))}: "
            + $"nested deeper than {YamlLimits.MaxDepth} levels", error.Message);
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_read()
    {
        var depth = YamlLimits.MaxDepth;
        var value = YamlReader.Parse(new string('[', depth - 1) + "x" + new string(']', depth - 1), "f");

        for (var i = 1; i < depth; i++)
        {
            value = value.AsSequence().Items[0];
        }

        Assert.Equal("x", value.AsString());
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        using var temp = new TempDirectory();
        var path = temp.File("big.yml");
        await using (var file = File.Create(path))
        {
            file.SetLength(YamlLimits.MaxFileBytes + 1);
        }

        var error = await Assert.ThrowsAsync<InputException>(() => YamlReader.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"{path}: {YamlLimits.MaxFileBytes + 1} bytes is more than the {YamlLimits.MaxFileBytes >> 20} MiB a YAML input may have",
            error.Message);
    }

    [Fact]
    public async Task Non_utf8_bytes_are_refused_naming_their_offset_and_line()
    {
        using var temp = new TempDirectory();
        var path = temp.File("latin1.yml");
        await File.WriteAllBytesAsync(path, [.. "a: 1\nb: caf"u8, 0xe9, .. "\n"u8]);

        var error = await Assert.ThrowsAsync<InputException>(() => YamlReader.LoadAsync(path, CancellationToken.None));

        Assert.Equal($"{path}:2:7: byte offset 11 (0xE9) is not valid UTF-8; save the file as UTF-8", error.Message);
    }

    [Fact]
    public async Task A_utf8_byte_order_mark_is_accepted()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bom.yml");
        await File.WriteAllBytesAsync(path, [0xef, 0xbb, 0xbf, .. "a: caf\u00e9\n"u8]);

        Assert.Equal("caf\u00e9", (await YamlReader.LoadAsync(path, CancellationToken.None)).AsMapping().Find("a")!.AsString());
    }

    [Fact]
    public void Aliases_that_expand_beyond_the_bound_are_refused()
    {
        // Six levels of ten: a million values from a few lines (a "billion laughs").
        var text = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var level = 1; level <= 6; level++)
        {
            text.Append($"l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", 10))}]\n");
        }

        var error = Assert.Throws<InputException>(() => YamlReader.Parse(text.ToString(), "f.yml"));

        Assert.StartsWith("f.yml:4:", error.Message, StringComparison.Ordinal);
        Assert.Contains($"aliases expand to more than {YamlLimits.MaxAliasedValues} values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Aliases_cannot_nest_values_deeper_than_the_limit()
    {
        // Each anchor adds 10 levels under the previous one: the expanded tree is deeper than any file may be written.
        var text = new StringBuilder("a0: &a0 x\n");
        for (var i = 1; i <= 10; i++)
        {
            text.Append($"a{i}: &a{i} {new string('[', 10)}*a{i - 1}{new string(']', 10)}\n");
        }

        var error = Assert.Throws<InputException>(() => YamlReader.Parse(text.ToString(), "f.yml"));

        Assert.Contains($"nested deeper than {YamlLimits.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_are_checked_for_duplicates_in_linear_time()
    {
        // Quadratic checking took 39 s for 100k keys. Wall-clock bounds fail on a loaded machine, so compare sizes instead:
        // five times the keys costs about five times as long when linear, twenty-five times when quadratic (best of two runs each).
        var small = BestParseTime(10_000);
        var large = BestParseTime(50_000);

        Assert.True(large < small * 12, $"10k keys took {small.TotalSeconds:0.000} s, 50k took {large.TotalSeconds:0.000} s");
    }

    private static TimeSpan BestParseTime(int keys)
    {
        var text = new StringBuilder();
        for (var i = 0; i < keys; i++)
        {
            text.Append("key").Append(i).Append(": ").Append(i).Append('\n');
        }

        var best = TimeSpan.MaxValue;
        for (var run = 0; run < 2; run++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(keys, YamlReader.Parse(text.ToString(), "f.yml").AsMapping().Entries.Count);
            best = clock.Elapsed < best ? clock.Elapsed : best;
        }

        return best;
    }
}
