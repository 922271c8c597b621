using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Seal;

/// <summary>Renders <c>manifest.json</c>: bundle identity, each package and where it came from, every file with size and SHA-256.</summary>
public static class BundleManifest
{
    /// <summary>The manifest as indented UTF-8 JSON, with packages and files in a fixed order.</summary>
    public static byte[] Render(BundleInfo bundle, IReadOnlyList<PackageRecord> packages, IEnumerable<RepoFile> files)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteString("format", SealedManifest.Format);
            json.WriteString("name", bundle.Name);
            json.WriteString("version", bundle.Version);
            json.WriteString("os", bundle.Os);
            json.WriteString("architecture", bundle.Architecture);
            json.WriteString("created", bundle.Created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            json.WriteStartArray("packages");
            foreach (var package in packages)
            {
                json.WriteStartObject();
                json.WriteString("name", package.Name);
                json.WriteString("version", package.Version);
                json.WriteString("architecture", package.Architecture);
                json.WriteString("file", package.DebFileName);
                json.WriteNumber("size", package.Size);
                json.WriteString("sha256", package.Sha256.ToLowerInvariant());
                json.WriteString("upstream", package.Source.Upstream);
                json.WriteString("suite", package.Source.Suite);
                json.WriteString("url", package.Url.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("files");
            foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteNumber("size", file.Size);
                json.WriteString("sha256", file.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
