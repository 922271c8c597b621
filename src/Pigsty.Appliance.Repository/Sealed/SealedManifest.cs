using System.Text.Json;

namespace Pigsty.Appliance.Repository.Sealed;

/// <summary><c>manifest.json</c> as a reader of a sealed repo sees it: the format tag and the list of files with size and SHA-256.</summary>
public static class SealedManifest
{
    /// <summary>The value of the manifest's <c>format</c> field; bump when the shape changes.</summary>
    public const string Format = "pigsty-appliance-bundle/1";

    /// <summary>
    /// Reads the <c>os</c> tag (the target the bundle was built for, e.g. <c>d13</c>): null when the manifest is a JSON object
    /// without a string <c>os</c>; false (with the reason) when it is not JSON at all.
    /// </summary>
    public static bool TryReadOs(byte[] manifest, out string? os, out string? error)
    {
        os = null;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(manifest);
            os = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("os", out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }

    /// <summary>Reads the <c>files</c> list back; false (with the reason) when the JSON is malformed or lacks it.</summary>
    public static bool TryReadFiles(byte[] manifest, out IReadOnlyList<RepoFile> files, out string? error)
    {
        var list = new List<RepoFile>();
        files = list;
        error = null;
        try
        {
            using var document = JsonDocument.Parse(manifest);
            if (!document.RootElement.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String
                || format.GetString() != Format)
            {
                error = $"'format' is not '{Format}'";
                return false;
            }

            if (!document.RootElement.TryGetProperty("files", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                error = "no 'files' array";
                return false;
            }

            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("size", out var size) || !size.TryGetInt64(out var length)
                    || !item.TryGetProperty("sha256", out var sha256) || sha256.ValueKind != JsonValueKind.String)
                {
                    error = $"files[{list.Count}] needs a string 'name', an integer 'size' and a string 'sha256'";
                    return false;
                }

                list.Add(new RepoFile(name.GetString()!, length, sha256.GetString()!));
            }

            return true;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return false;
        }
    }
}
