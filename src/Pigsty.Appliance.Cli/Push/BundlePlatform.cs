using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>The target a bundle is built for, read from its sealed manifest's <c>os</c>: what deploy checks each host's release against.</summary>
public static class BundlePlatform
{
    /// <summary>The manifest's path inside a bundle tarball.</summary>
    public const string ManifestEntry = RepoLayout.RootName + "/" + RepoLayout.Manifest;

    /// <summary>Reads <see cref="ManifestEntry"/> from the bundle archive <paramref name="bundle"/>; an error naming the file when it has none.</summary>
    public static async Task<TargetPlatform> ReadAsync(string bundle, CancellationToken cancellationToken)
    {
        var format = await ArchiveReader.DetectAsync(bundle, cancellationToken)
            ?? throw new InputException(bundle, "--bundle: not a .tgz, .tar.xz or .tar.zst archive");
        byte[]? manifest = null;
        await ArchiveReader.ReadAsync(bundle, format, async (entry, data) =>
        {
            if (manifest is null && entry.Kind == ArchiveEntryKind.File && entry.Path == ManifestEntry)
            {
                using var copy = new MemoryStream();
                await data.CopyToAsync(copy, cancellationToken);
                manifest = copy.ToArray();
            }
        }, cancellationToken);
        return Parse(manifest ?? throw new InputException(bundle, $"--bundle: no {ManifestEntry} in it, so it is no sealed bundle"), $"{bundle}:{ManifestEntry}");
    }

    /// <summary>The target a manifest's <c>os</c> names; an error naming <paramref name="source"/> otherwise.</summary>
    public static TargetPlatform Parse(byte[] manifest, string source)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return SealedManifest.TryReadOs(manifest, out var os, out var error)
            ? TargetPlatform.ForOs(os, source)
            : throw new InputException(source, $"not valid JSON ({error})");
    }
}
