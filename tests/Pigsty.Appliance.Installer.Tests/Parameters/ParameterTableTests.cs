using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Installer.Parameters;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Parameters;

/// <summary>The table covers Pigsty's parameters and everything our code reads, each name once.</summary>
public sealed partial class ParameterTableTests
{
    private static IEnumerable<string> PigstyRoleParameters() =>
        File.ReadLines(TestData.Path("Parameters", "pigsty-v4.5-role-parameters.txt")).Where(l => l.Length > 0 && !l.StartsWith('#'));

    [Fact]
    public void Every_parameter_of_pigstys_five_role_defaults_is_in_the_table()
    {
        var names = PigstyRoleParameters().ToList();

        Assert.Equal(261, names.Count);
        var missing = names.Where(n => ParameterTable.Find(n) is not { IsPattern: false }).ToList();
        Assert.True(missing.Count == 0, "not in the table: " + string.Join(", ", missing));

        // INFRA's defaults repeat a few ports of other modules for reference (code_port, redis_exporter_port…): those stay theirs.
        Assert.True(names.Count(n => ParameterTable.Modules.Contains(ParameterTable.Find(n)!.Module)) >= 255);
    }

    [Fact]
    public void Each_name_is_listed_once() =>
        Assert.Equal([], ParameterTable.All.GroupBy(p => p.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList());

    [Fact]
    public void Honoured_entries_have_no_honoured_when_values_and_every_entry_says_why() =>
        Assert.Equal([], ParameterTable.All.Where(p => (p.Status == ParameterStatus.Honoured && p.HonouredWhen.Count > 0) || p.Note.Length < 8).Select(p => p.Name).ToList());

    /// <summary>A name our installer reads but the table lacks would be warned about as unknown while it is honoured.</summary>
    [Fact]
    public void Every_variable_the_installer_reads_is_in_the_table()
    {
        var src = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "..", "src"));
        var read = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains("Pigsty.Appliance.Installer", StringComparison.Ordinal) || f.Contains("Pigsty.Appliance.Core", StringComparison.Ordinal))
            .SelectMany(f => VarRead().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(read.Count > 80, $"only {read.Count} variable reads found under {src}");
        Assert.Equal([], read.Where(n => ParameterTable.Find(n) is null).ToList());
    }

    /// <summary>This file's directory in the source tree (the compiler tells it), from which src/ is found.</summary>
    internal static string SourceDirectory([CallerFilePath] string caller = "") => Path.GetDirectoryName(caller)!;

    [Theory]
    [InlineData("pg_databses", "pg_databases")]
    [InlineData("pg_user", "pg_users")]
    [InlineData("node_tunes", "node_tune")]
    [InlineData("pgbouncer_enable", "pgbouncer_enabled")]
    [InlineData("grafana_enable", "grafana_enabled")]
    [InlineData("pg_defualt_services", "pg_default_services")]
    public void A_misspelt_name_suggests_the_closest_known_one(string typo, string expected) =>
        Assert.Equal(expected, ParameterTable.Suggest(typo));

    [Theory]
    [InlineData("site_owner")]
    [InlineData("xyz")]
    public void A_name_far_from_every_known_one_suggests_nothing(string name) => Assert.Null(ParameterTable.Suggest(name));

    [Theory]
    [InlineData("ansible_host", "ANSIBLE")]
    [InlineData("pg_user_dbuser_meta_password", "PGSQL")]
    [InlineData("pgbackrest_s3_key_secret", "MINIO")]
    [InlineData("redis_cluster", "REDIS")]
    public void Patterns_and_other_modules_are_known(string name, string module) =>
        Assert.Equal(module, ParameterTable.Find(name)?.Module);

    [GeneratedRegex(@"(?:[Vv]ars)\.(?:String|Int|Bool|Strings|Find|Require)\(""(?<name>[a-z][a-z0-9_]+)""")]
    private static partial Regex VarRead();
}
