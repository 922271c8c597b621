using System.Globalization;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Wraps a component's asset into a .deb in the package cache and returns the record that index, fetch and seal treat like any other.</summary>
public sealed class BinaryPackager(PackageCache cache)
{
    /// <summary>The upstream name binary packages carry in manifests and messages.</summary>
    public const string Upstream = "binaries";

    /// <summary>The Maintainer of every wrapped package.</summary>
    public const string Maintainer = "Pigsty Appliance <bundler@pigsty.invalid>";

    /// <summary>Builds the package for <paramref name="component"/> from <paramref name="asset"/> (deterministically) into the cache.</summary>
    public async Task<PackageRecord> PackageAsync(BinarySpec component, AcquiredAsset asset, string architecture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(asset);
        var work = Path.Combine(cache.Root, "tmp", $"wrap-{Guid.NewGuid():N}");
        try
        {
            var files = new List<DebFile>();
            if (component.FromArchive)
            {
                var extracted = await AssetArchive.ExtractAsync(asset.Path, component.Files, work, component.Label, cancellationToken);
                files.AddRange(component.Files.Select(f => DebFile.FromPath(f.Target, extracted[f.Member], DebFile.Executable)));
            }
            else
            {
                files.Add(DebFile.FromPath(component.Files[0].Target, asset.Path, DebFile.Executable));
            }

            if (component.Service is { } service)
            {
                files.Add(DebFile.FromBytes($"{PackageScripts.UnitDirectory}/{service.Unit}",
                    AtomicFile.Utf8.GetBytes(PackageScripts.Unit(service, component.Homepage)), DebFile.Regular));
            }

            var temp = Path.Combine(work, "package.deb");
            var control = await DebWriter.WriteAsync(temp, Control(component, asset, architecture), files, PackageScripts.For(component.Service),
                cancellationToken);
            var size = new FileInfo(temp).Length;
            var sha256 = await Checksums.Sha256FileAsync(temp, cancellationToken);
            string md5;
            await using (var stream = File.OpenRead(temp))
            {
                md5 = Convert.ToHexStringLower(await System.Security.Cryptography.MD5.HashDataAsync(stream, cancellationToken));
            }

            var entry = cache.PathFor(sha256);
            Directory.CreateDirectory(Path.GetDirectoryName(entry)!);
            File.Move(temp, entry, overwrite: true);
            File.SetUnixFileMode(entry, PackageCache.EntryMode);

            var origin = asset.Origin.AbsoluteUri;
            var slash = origin.LastIndexOf('/');
            var source = new AptSource(Upstream, new Uri(origin[..(slash + 1)]), SourceKind(component.Source), [], architecture, "") { BuiltHere = true };
            var stanza = control.With("MD5sum", md5);
            return new PackageRecord(component.Name, component.Version, architecture, origin[(slash + 1)..], size, sha256, source, stanza);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    /// <summary>The control paragraph (Installed-Size is filled in by the writer, in its place here).</summary>
    public static ControlStanza Control(BinarySpec component, AcquiredAsset asset, string architecture)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(asset);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Package", component.Name),
            new("Version", component.Version),
            new("Architecture", architecture),
            new("Maintainer", Maintainer),
            new("Installed-Size", "0"),
        };
        if (component.Depends.Count > 0)
        {
            fields.Add(new("Depends", string.Join(", ", component.Depends)));
        }

        fields.Add(new("Section", "misc"));
        fields.Add(new("Priority", "optional"));
        if (component.Homepage is { } homepage)
        {
            fields.Add(new("Homepage", homepage));
        }

        fields.Add(new("Description", string.Create(CultureInfo.InvariantCulture,
            $"{component.Description}\nRepackaged by pigsty-appliance from the release asset {asset.Name}\n({component.Source.LockLabel}, SHA-256 {asset.Sha256}).")));
        return new ControlStanza(fields);
    }

    private static string SourceKind(BinarySource source) => source switch
    {
        GitHubReleaseSource => "github",
        UrlSource => "url",
        _ => "file",
    };
}
