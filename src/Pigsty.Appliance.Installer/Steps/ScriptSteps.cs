using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>Steps that run an idempotent script (SQL, etcdctl…) and remember the SHA-256 of what they ran, so an unchanged script runs once.</summary>
public static class ScriptSteps
{
    /// <summary>
    /// Renders the script, and runs it unless the marker says this exact script already ran to the end; the marker is written
    /// after the script (so a crash runs it again, which an idempotent script allows) and holds only a hash, never the script.
    /// </summary>
    public static Step Once(string id, string title,
        Func<StepContext, CancellationToken, Task<string>> render,
        Func<StepContext, string, CancellationToken, Task> run,
        Func<StepContext, CancellationToken, Task>? verify = null)
    {
        var marker = $"{NodeLayout.StepJournal}/{id}.sha256";
        return new Step(
            id,
            title,
            async (c, t) => await c.Machine.Files.ReadAsync(marker, t) == await DigestAsync(c, render, t),
            async (c, t) =>
            {
                var script = await render(c, t);
                await run(c, script, t);
                await c.Machine.Files.WriteAsync(marker, Checksums.Sha256(AtomicFile.Utf8.GetBytes(script)) + "\n", FileSpec.Secret, t);
            },
            verify ?? ((_, _) => Task.CompletedTask));
    }

    private static async Task<string> DigestAsync(StepContext context, Func<StepContext, CancellationToken, Task<string>> render,
        CancellationToken cancellationToken) =>
        Checksums.Sha256(AtomicFile.Utf8.GetBytes(await render(context, cancellationToken))) + "\n";
}
