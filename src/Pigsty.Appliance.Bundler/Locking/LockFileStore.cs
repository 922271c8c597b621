using System.Text.Json;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Locking;

/// <summary>Reads and writes lock files as indented JSON, sorted, with a trailing newline.</summary>
public static class LockFileStore
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, IndentSize = 2 };

    /// <summary>Reads a lock file, or returns null when it does not exist; a damaged one is an input error naming it.</summary>
    public static async Task<LockFile?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            var lockFile = await JsonSerializer.DeserializeAsync<LockFile>(stream, Options, cancellationToken);
            return lockFile is { Packages: not null, Requested: not null } && lockFile.Packages.All(Valid) && (lockFile.Binaries ?? []).All(Valid)
                ? lockFile
                : throw new InputException(path, "not a valid lock file (missing fields or a malformed package entry); regenerate it with --update");
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not valid JSON at line {e.LineNumber + 1}: {e.Message}; regenerate it with --update");
        }
    }

    /// <summary>Writes the lock atomically, packages sorted by name and architecture.</summary>
    public static Task WriteAsync(string path, LockFile lockFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lockFile);
        var sorted = lockFile with
        {
            Requested = lockFile.Requested.Order(StringComparer.Ordinal).ToList(),
            Packages = lockFile.Packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal).ToList(),
            Binaries = lockFile.Binaries is { Count: > 0 } binaries ? binaries.OrderBy(b => b.Name, StringComparer.Ordinal).ToList() : null,
        };
        return AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(sorted, Options) + "\n", cancellationToken);
    }

    private static bool Valid(LockedPackage? package) =>
        package is { Name.Length: > 0, Version.Length: > 0, Architecture.Length: > 0, Filename.Length: > 0, Upstream.Length: > 0, Size: >= 0 }
        && Checksums.IsSha256(package.Sha256);

    private static bool Valid(LockedBinary? binary) =>
        binary is { Name.Length: > 0, Version.Length: > 0, Source.Length: > 0, Asset.Length: > 0, Size: >= 0 } && Checksums.IsSha256(binary.Sha256);
}
