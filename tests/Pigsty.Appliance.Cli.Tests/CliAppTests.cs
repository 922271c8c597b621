using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests;

public sealed class CliAppTests
{
    private const string Valid = """
        all:
          children:
            pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars: { admin_ip: 10.10.10.10 }
        """;

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        var run = await CliRun.Of("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out);
    }

    [Fact]
    public async Task Help_lists_commands_and_documents_exit_codes()
    {
        var run = await CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("inventory", run.Out, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", run.Out, StringComparison.Ordinal);
        Assert.Contains("3    invalid input", run.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-command")]
    [InlineData("inventory", "check")]
    [InlineData("inventory", "check", "a.yml", "--no-such-option")]
    public async Task Bad_command_lines_exit_2(params string[] args)
    {
        var run = await CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_check_summarises_a_valid_inventory()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("pigsty.yml", Valid);

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("pgsql pg-meta: pg-meta-1 10.10.10.10 primary", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_check_exits_3_with_file_line_and_field()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("pigsty.yml", Valid.Replace("pg_seq: 1", "pg_seq: x", StringComparison.Ordinal));

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal($"error: {path}:3:48: all.children.pg-meta.hosts[10.10.10.10].pg_seq: expected an integer, got 'x'\n", run.Error);
    }

    [Theory]
    [InlineData("deep")]
    [InlineData("latin-1")]
    public async Task Inventory_check_of_a_hostile_file_exits_3_with_one_line_naming_it(string kind)
    {
        // A 41 KB nested list overflowed the stack (exit 134, a 20k-line trace); Latin-1 bytes were silently replaced.
        using var temp = new TempDirectory();
        var path = temp.File("pigsty.yml");
        await File.WriteAllBytesAsync(path, kind == "deep"
            ? System.Text.Encoding.ASCII.GetBytes("all: " + new string('[', 20_000) + new string(']', 20_000) + "\n")
            : [.. System.Text.Encoding.ASCII.GetBytes(Valid), .. "\n# caf"u8, 0xe9, .. "\n"u8]);

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith($"error: {path}:", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
        Assert.Contains(kind == "deep" ? "nested deeper than" : "is not valid UTF-8", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inventory_check_of_a_missing_file_exits_3_naming_it()
    {
        var run = await CliRun.Of("inventory", "check", "/nonexistent/pigsty.yml");

        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("error: /nonexistent/pigsty.yml: cannot read the file", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_journald_every_line_of_an_error_has_priority_err()
    {
        using var empty = new TempDirectory();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await CliApp.RunAsync(["verify", empty.Path], CliIo.Plain(output, error) with { ErrorIsJournal = true }, CancellationToken.None);

        Assert.Equal(5, code);
        var lines = error.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal($"<3>error: {empty.Path} failed verification (5 problems):", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("<3>", l, StringComparison.Ordinal));
    }
}
