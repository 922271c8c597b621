using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Runs the real program a rendered file is for; a missing program fails the test naming the Debian package to install.</summary>
internal static class RealTool
{
    /// <summary>The program's path, or a failed test saying which package provides it.</summary>
    public static string Require(string program, string package)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
        Assert.True(found is not null, $"'{program}' is not installed on this host: apt-get install --no-install-recommends {package}");
        return found!;
    }

    /// <summary>Runs it to the end and returns the result, whatever the exit code.</summary>
    public static async Task<ProcessResult> RunAsync(string program, string package, params string[] arguments) =>
        await ProcessRunner.Silent.RunAsync(new ProcessSpec(Require(program, package), arguments)
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(1),
        }, CancellationToken.None);

    /// <summary>Runs it and asserts exit 0, showing its output otherwise.</summary>
    public static async Task<ProcessResult> CheckAsync(string program, string package, params string[] arguments)
    {
        var result = await RunAsync(program, package, arguments);
        Assert.True(result.ExitCode == 0,
            $"{program} {string.Join(' ', arguments)} exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }
}
