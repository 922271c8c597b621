using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Engine;

/// <summary>A file a step owns: its path, how to render it (renderers are pure; secrets come from the context), and its mode.</summary>
public sealed record ManagedFile(string Path, Func<StepContext, CancellationToken, Task<string>> Render, FileSpec Spec)
{
    /// <summary>A file whose content does not depend on secrets.</summary>
    public static ManagedFile Of(string path, Func<StepContext, string> render, FileSpec spec) =>
        new(path, (context, _) => Task.FromResult(render(context)), spec);

    /// <summary>True when the node has exactly the rendered content, mode and owner.</summary>
    public async Task<bool> IsCurrentAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await context.Machine.Files.HasAsync(Path, await Render(context, cancellationToken), Spec, cancellationToken);
    }

    /// <summary>Writes the rendered content; true when anything changed.</summary>
    public async Task<bool> WriteAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await context.Machine.Files.WriteAsync(Path, await Render(context, cancellationToken), Spec, cancellationToken);
    }
}
