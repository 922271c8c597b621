using Pigsty.Appliance.Testing;
using Xunit.Sdk;

namespace Pigsty.Appliance.Core.Tests.Testing;

/// <summary>The one golden-file helper every test project uses: an update rewrites and fails, CI never rewrites.</summary>
public sealed class GoldenTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public void Dispose() => _temp.Dispose();

    private string Copy => _temp.File("bin/Golden/x.conf");

    private string Source => _temp.File("src/Golden/x.conf");

    private void Check(string actual) => Golden.Check(actual, "Golden/x.conf", Copy, Source, n => _environment.GetValueOrDefault(n));

    private void Goldens(string text)
    {
        _temp.Write("bin/Golden/x.conf", text);
        _temp.Write("src/Golden/x.conf", text);
    }

    [Fact]
    public void Equal_text_passes_and_different_text_fails()
    {
        Goldens("a = 1\n");

        Check("a = 1\n");
        var error = Assert.ThrowsAny<XunitException>(() => Check("a = 2\n"));

        Assert.IsType<EqualException>(error);
    }

    [Fact]
    public void An_update_rewrites_the_source_golden_and_fails_the_test()
    {
        Goldens("a = 1\n");
        _environment[Golden.UpdateVariable] = "1";

        var error = Assert.ThrowsAny<XunitException>(() => Check("a = 2\n"));

        Assert.Equal($"golden rewritten: {Source}; review the diff and run again", error.Message);
        Assert.Equal("a = 2\n", File.ReadAllText(Source));
        Assert.Equal("a = 1\n", File.ReadAllText(Copy));
    }

    [Fact]
    public void An_update_that_changes_nothing_passes_and_writes_nothing()
    {
        Goldens("a = 1\n");
        var written = File.GetLastWriteTimeUtc(Source);
        _environment[Golden.UpdateVariable] = "1";

        Check("a = 1\n");

        Assert.Equal(written, File.GetLastWriteTimeUtc(Source));
    }

    [Theory]
    [InlineData("true")]
    [InlineData("TRUE")]
    [InlineData("1")]
    public void Under_CI_an_update_fails_without_rewriting_even_when_the_text_matches(string ci)
    {
        Goldens("a = 1\n");
        _environment[Golden.UpdateVariable] = "1";
        _environment["CI"] = ci;

        var matching = Assert.ThrowsAny<XunitException>(() => Check("a = 1\n"));
        var differing = Assert.ThrowsAny<XunitException>(() => Check("a = 2\n"));

        Assert.Contains("golden files are never rewritten in CI", matching.Message, StringComparison.Ordinal);
        Assert.Contains("golden files are never rewritten in CI", differing.Message, StringComparison.Ordinal);
        Assert.Equal("a = 1\n", File.ReadAllText(Source));
    }

    [Fact]
    public void A_missing_golden_fails_naming_it_and_an_update_creates_it()
    {
        var missing = Assert.ThrowsAny<XunitException>(() => Check("a = 1\n"));
        _environment[Golden.UpdateVariable] = "1";
        var created = Assert.ThrowsAny<XunitException>(() => Check("a = 1\n"));

        Assert.Contains("golden file Golden/x.conf is missing; run with PIGSTY_UPDATE_GOLDEN=1 to create it", missing.Message, StringComparison.Ordinal);
        Assert.StartsWith("golden rewritten: ", created.Message, StringComparison.Ordinal);
        Assert.Equal("a = 1\n", File.ReadAllText(Source));
    }

    [Fact]
    public void Carriage_returns_fail_even_when_the_golden_has_them()
    {
        Goldens("a = 1\r\n");

        var error = Assert.ThrowsAny<XunitException>(() => Check("a = 1\r\n"));

        Assert.Contains("\\n line endings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_tells_the_tests_where_their_sources_are()
    {
        var directory = Assert.IsType<string>(AppContext.GetData(Golden.SourceDirectoryOption));

        Assert.True(File.Exists(Path.Combine(directory, "Pigsty.Appliance.Core.Tests.csproj")), directory);
        Assert.True(File.Exists(Path.Combine(directory, "Testing", "GoldenTests.cs")), directory);
    }
}
