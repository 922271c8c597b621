using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>A file its reader's own checker judges under a name the reader skips, before it replaces the real one.</summary>
public static class CheckedFile
{
    /// <summary>Sudoers drop-ins: root and group read only, as sudo wants them.</summary>
    public static readonly FileSpec SudoersSpec = new(UnixFileMode.UserRead | UnixFileMode.GroupRead);

    /// <summary>Where a sudoers drop-in is checked: a name with a dot, which sudo skips in /etc/sudoers.d.</summary>
    public static string SudoersCandidate(string path) => $"{Path.GetDirectoryName(path)}/.{Path.GetFileName(path)}.pigsty-check";

    /// <summary>A sudoers drop-in, written only once <c>visudo --check</c> accepts it: a broken one would lock sudo out for everyone.</summary>
    public static Task SudoersAsync(StepContext context, string step, string path, string content, CancellationToken cancellationToken) =>
        WriteAsync(context, step, path, SudoersCandidate(path), content, SudoersSpec,
            candidate => new ProcessSpec("visudo", ["--check", "--quiet", "--file", candidate]), cancellationToken);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="candidate"/> (a name its reader skips), lets <paramref name="check"/>
    /// judge it there, and only then writes it to <paramref name="path"/> (atomically); the candidate never stays behind.
    /// </summary>
    public static async Task WriteAsync(StepContext context, string step, string path, string candidate, string content, FileSpec spec,
        Func<string, ProcessSpec> check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(check);
        var files = context.Machine.Files;
        await files.WriteAsync(candidate, content, spec, cancellationToken);
        try
        {
            var checkSpec = check(candidate);
            var result = await context.Machine.Processes.RunAsync(checkSpec with { ThrowOnNonZeroExit = false }, cancellationToken);
            if (!result.Succeeded)
            {
                throw new InstallException(step, $"{checkSpec.Tool} refuses the new {path}, so it was left as it was: {(result.StandardError + result.StandardOutput).Trim()}");
            }

            await files.WriteAsync(path, content, spec, cancellationToken);
        }
        finally
        {
            await files.DeleteAsync(candidate, CancellationToken.None);
        }
    }
}
