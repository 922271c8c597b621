using Pigsty.Appliance.Bundler.Resolve;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

public sealed class RelationParserTests
{
    [Fact]
    public void Parses_groups_alternatives_constraints_and_qualifiers()
    {
        Assert.True(RelationParser.TryParseGroups(
            "libc6 (>= 2.34), default-mta | mail-transport-agent,\n python3:any (<< 3.12~),perl:native, libnuma1 [amd64 arm64] <!nocheck>",
            out var groups, out var error), error);

        Assert.Equal(5, groups.Count);
        var libc = groups[0].Alternatives.Single();
        Assert.Equal("libc6", libc.Name);
        Assert.Equal(VersionOperator.LaterOrEqual, libc.Constraint!.Operator);
        Assert.Equal("2.34", libc.Constraint.Version.ToString());
        Assert.Equal(["default-mta", "mail-transport-agent"], groups[1].Alternatives.Select(a => a.Name));
        Assert.Equal("any", groups[2].Alternatives[0].ArchQualifier);
        Assert.Equal(VersionOperator.Earlier, groups[2].Alternatives[0].Constraint!.Operator);
        Assert.Equal("native", groups[3].Alternatives[0].ArchQualifier);
        Assert.Equal(["amd64", "arm64"], groups[4].Alternatives[0].Architectures);
        Assert.Equal("python3:any (<< 3.12~)", groups[2].ToString());
        Assert.Equal("default-mta | mail-transport-agent", groups[1].ToString());
    }

    [Theory]
    [InlineData("a (<< 2)", VersionOperator.Earlier)]
    [InlineData("a (<= 2)", VersionOperator.EarlierOrEqual)]
    [InlineData("a (< 2)", VersionOperator.EarlierOrEqual)]
    [InlineData("a (= 2)", VersionOperator.Equal)]
    [InlineData("a (>= 2)", VersionOperator.LaterOrEqual)]
    [InlineData("a (> 2)", VersionOperator.LaterOrEqual)]
    [InlineData("a(>>2)", VersionOperator.Later)]
    public void Reads_every_operator(string text, VersionOperator expected)
    {
        Assert.True(RelationParser.TryParseRelation(text, out var relation, out _));
        Assert.Equal(expected, relation.Constraint!.Operator);
    }

    [Theory]
    [InlineData("2", true, true, false, false, false)]
    [InlineData("1.9", true, true, true, false, false)]
    [InlineData("2.1", false, false, false, true, true)]
    public void Constraints_compare_versions(string candidate, bool lessEqual, bool equalOrLess, bool earlier, bool later, bool laterOrEqualOnly)
    {
        var version = Bundler.Versions.DebianVersion.Parse(candidate);
        Assert.Equal(lessEqual, Constraint("<= 2").IsSatisfiedBy(version));
        Assert.Equal(equalOrLess, Constraint("<< 2.0.1").IsSatisfiedBy(version));
        Assert.Equal(earlier, Constraint("<< 2").IsSatisfiedBy(version));
        Assert.Equal(later, Constraint(">> 2").IsSatisfiedBy(version));
        Assert.Equal(laterOrEqualOnly, Constraint(">= 2.0.1").IsSatisfiedBy(version));
    }

    [Fact]
    public void Empty_fields_have_no_groups()
    {
        Assert.True(RelationParser.TryParseGroups(null, out var none, out _));
        Assert.Empty(none);
        Assert.True(RelationParser.TryParseGroups("  \n ", out var blank, out _));
        Assert.Empty(blank);
    }

    [Fact]
    public void Negated_architecture_lists_exclude_the_listed_ones()
    {
        Assert.True(RelationParser.TryParseRelation("a [!i386 !armel]", out var relation, out _));

        Assert.True(relation.AppliesTo("amd64"));
        Assert.False(relation.AppliesTo("i386"));
    }

    [Theory]
    [InlineData("libc6 (>= 2.34", "'libc6 (>= 2.34': missing ')'")]
    [InlineData("libc6 (~ 2)", "'libc6 (~ 2)': expected one of << <= = >= >> in '(~ 2)'")]
    [InlineData("libc6 (>= 2..x_y)", "'libc6 (>= 2..x_y)': invalid version '2..x_y'")]
    [InlineData("a, , b", "'': expected a package name")]
    [InlineData("a |", "'a |': expected a package name")]
    [InlineData("a b", "'a b': unexpected 'b' after 'a'")]
    [InlineData("a [amd64 !i386]", "'a [amd64 !i386]': an architecture list must be non-empty and either all negated or none")]
    [InlineData("a:", "'a:': empty architecture qualifier after 'a:'")]
    public void Malformed_fields_say_what_is_wrong(string text, string message)
    {
        Assert.False(RelationParser.TryParseGroups(text, out var groups, out var error));
        Assert.Null(groups);
        Assert.Equal(message, error);
    }

    [Fact]
    public void Provides_take_exact_versions_and_no_alternatives()
    {
        Assert.True(RelationParser.TryParseProvides("awk, python3-api (= 3.11), libpq-dev", out var provides, out _));
        Assert.Equal(["awk", "python3-api", "libpq-dev"], provides.Select(p => p.Name));
        Assert.Equal("3.11", provides[1].Constraint!.Version.ToString());

        Assert.False(RelationParser.TryParseProvides("a | b", out _, out var alternatives));
        Assert.Equal("'a | b': Provides cannot have alternatives", alternatives);
        Assert.False(RelationParser.TryParseProvides("a (>= 1)", out _, out var inexact));
        Assert.Equal("'a (>= 1)': a provided version must use '='", inexact);
    }

    private static VersionConstraint Constraint(string text)
    {
        Assert.True(RelationParser.TryParseRelation($"x ({text})", out var relation, out _));
        return relation.Constraint!;
    }
}
