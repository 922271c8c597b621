using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests;

/// <summary>pigsty-boottest's command line: the options the BootTest target passes, and errors before any VM starts.</summary>
public sealed class BootTestCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Help_names_the_options_the_Cake_target_passes_and_the_exit_codes()
    {
        var (code, output, _) = await RunAsync("--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "<image>", "--bundle", "--only", "--deadline", "--verbose" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_run_exits_2_naming_the_suite_and_writes_nothing()
    {
        var work = Path.Combine(_temp.Path, "work");

        var (code, _, error) = await RunAsync(Path.Combine(_temp.Path, "missing.img"), "--only", "fast", "--work", work);

        Assert.Equal(2, code);
        Assert.Equal("error: --only 'fast': the suite has full, resume, resume-packages, resume-concurrent, bios-smoke, invalid-seed, ha, ha-network, nocloud, push, bare-metal, bare-metal-uefi, bare-metal-bios, bare-metal-choice\n", error);
        Assert.False(Directory.Exists(work));
    }

    [Fact]
    public async Task A_missing_image_argument_is_a_usage_error_naming_the_program()
    {
        var (code, _, error) = await RunAsync("--only", "full");

        Assert.Equal(2, code);
        Assert.Contains("Run 'pigsty-boottest --help' for usage.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hidden_load_helper_needs_its_password_from_the_environment_not_argv()
    {
        var (help, output, _) = await RunAsync("--help");
        Assert.Equal(0, help);
        Assert.DoesNotContain("ha-load", output, StringComparison.Ordinal);

        // The test host has no PGPASSWORD: the helper refuses before connecting anywhere.
        Assert.Null(Environment.GetEnvironmentVariable("PGPASSWORD"));
        var (code, _, error) = await RunAsync("ha-load", "write", "--host", "127.0.0.1", "--port", "1", "--marker", "m");

        Assert.Equal(2, code);
        Assert.Contains("PGPASSWORD", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BootTestCommand.RunAsync(args, CliIo.Plain(output, error), CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
