using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>The node's real files, optionally under a root prefix (tests, image builds); ownership is applied only at "/".</summary>
public sealed class LocalFileSystem(IProcessRunner processes, string root = "/") : IFileSystem
{
    private readonly bool _applyOwners = root == "/";

    public async Task<bool> WriteAsync(string path, string content, FileSpec spec, CancellationToken cancellationToken) =>
        await WriteBytesAsync(path, AtomicFile.Utf8.GetBytes(content), spec, cancellationToken);

    public async Task<bool> WriteBytesAsync(string path, ReadOnlyMemory<byte> content, FileSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var full = Map(path);
        if (File.Exists(full) && (await File.ReadAllBytesAsync(full, cancellationToken)).AsSpan().SequenceEqual(content.Span))
        {
            return await ApplyAsync(full, spec, cancellationToken);
        }

        await AtomicFile.WriteAllBytesAsync(full, content, cancellationToken, spec.Mode);
        await ApplyAsync(full, spec, cancellationToken);
        return true;
    }

    public async Task<string?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Map(path);
        return File.Exists(full) ? await File.ReadAllTextAsync(full, cancellationToken) : null;
    }

    public bool Exists(string path) => Path.Exists(Map(path));

    public IReadOnlyList<string> ListFiles(string directory)
    {
        var full = Map(directory);
        return Directory.Exists(full)
            ? Directory.EnumerateFiles(full).Select(f => directory.TrimEnd('/') + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }

    public async Task<bool> EnsureDirectoryAsync(string path, FileSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var full = Map(path);
        var created = !Directory.Exists(full);
        Directory.CreateDirectory(full);
        return await ApplyAsync(full, spec, cancellationToken) || created;
    }

    public Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        var full = Map(path);
        // File.Delete accepts a missing file but not a missing directory: either way there is nothing to delete.
        var existed = File.Exists(full);
        if (existed)
        {
            File.Delete(full);
        }

        return Task.FromResult(existed);
    }

    public async Task<bool> HasAsync(string path, string content, FileSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var full = Map(path);
        return File.Exists(full)
            && await File.ReadAllTextAsync(full, cancellationToken) == content
            && File.GetUnixFileMode(full) == spec.Mode
            && (!_applyOwners || await OwnerAsync(full, cancellationToken) == $"{spec.Owner}:{spec.Group}");
    }

    /// <summary>Sets mode and owner where they differ; true when anything changed.</summary>
    private async Task<bool> ApplyAsync(string full, FileSpec spec, CancellationToken cancellationToken)
    {
        var changed = false;
        if (File.GetUnixFileMode(full) != spec.Mode)
        {
            File.SetUnixFileMode(full, spec.Mode);
            changed = true;
        }

        var owner = $"{spec.Owner}:{spec.Group}";
        if (_applyOwners && await OwnerAsync(full, cancellationToken) != owner)
        {
            await processes.RunAsync(ProcessSpec.Of("chown", owner, full), cancellationToken);
            changed = true;
        }

        return changed;
    }

    private async Task<string> OwnerAsync(string full, CancellationToken cancellationToken) =>
        (await processes.RunAsync(ProcessSpec.Of("stat", "-c", "%U:%G", full), cancellationToken)).StandardOutput.Trim();

    private string Map(string path) =>
        Path.IsPathRooted(path)
            ? root == "/" ? path : Path.Join(root, path)
            : throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
}
