using System.Text.Json;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Core.Contract;

/// <summary>The installer medium's <see cref="InstallMedium.Manifest"/>: the image it writes and the compressed file that holds it.</summary>
/// <param name="Version">The appliance version.</param>
/// <param name="Image">The raw image's name, as SHA256SUMS lists it.</param>
/// <param name="Bytes">The raw image's size: what the target disk must hold at least.</param>
/// <param name="Sha256">The raw image's SHA-256 (as in SHA256SUMS).</param>
/// <param name="File">The gzip file on the medium holding the raw image, relative to the medium's root.</param>
/// <param name="FileSha256">That file's SHA-256, checked as it is read.</param>
public sealed record InstallImage(string Version, string Image, long Bytes, string Sha256, string File, string FileSha256)
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads the manifest; a missing or malformed one names the file.</summary>
    public static async Task<InstallImage> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new IntegrityException($"{path}: the installer medium has no image manifest; it is not a Pigsty appliance installer medium, or it is damaged");
        }

        try
        {
            var image = JsonSerializer.Deserialize<InstallImage>(await System.IO.File.ReadAllTextAsync(path, cancellationToken), Json);
            return image is { Bytes: > 0 } && Checksums.IsSha256(image.Sha256) && Checksums.IsSha256(image.FileSha256) && image.File.Length > 0
                ? image
                : throw new IntegrityException($"{path}: the image manifest lacks a size, a file or a SHA-256");
        }
        catch (JsonException e)
        {
            throw new IntegrityException($"{path}: the image manifest is not valid JSON: {e.Message}");
        }
    }
}
