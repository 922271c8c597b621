using Pigsty.Appliance.Core.Processes;
using Xunit;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// Runs a real host program for a test. The program must be in build/host-packages.json, which the Prerequisites target
/// installs from: a test cannot pass only because someone installed its program by hand.
/// </summary>
public static class RealTool
{
    /// <summary>The program's path (a name, searched like a shell would plus the sbin folders, or an absolute path), or a failed test.</summary>
    public static string Require(string program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var package = HostPackageList.ProviderOf(program);
        Assert.True(package is not null,
            $"'{Path.GetFileName(program)}' is not in {HostPackageList.File}: add it with the package that provides it");
        var found = Path.IsPathRooted(program)
            ? (File.Exists(program) ? program : null)
            : (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Append("/usr/sbin").Append("/sbin")
                .Select(d => Path.Combine(d, program))
                .FirstOrDefault(File.Exists);
        Assert.True(found is not null,
            $"'{program}' is not installed on this host: apt-get install --no-install-recommends {package!.Name} (or ./build.sh --target=Prerequisites)");
        return found!;
    }

    /// <summary>A process spec for the program, found by <see cref="Require"/>.</summary>
    public static ProcessSpec Spec(string program, params string[] arguments) => new(Require(program), arguments);

    /// <summary>Runs it to the end and returns the result, whatever the exit code.</summary>
    public static async Task<ProcessResult> RunAsync(string program, params string[] arguments) =>
        await ProcessRunner.Silent.RunAsync(Spec(program, arguments) with
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);

    /// <summary>Runs it and asserts exit 0, showing its output otherwise.</summary>
    public static async Task<ProcessResult> CheckAsync(string program, params string[] arguments)
    {
        var result = await RunAsync(program, arguments);
        Assert.True(result.ExitCode == 0,
            $"{program} {string.Join(' ', arguments)} exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }
}
