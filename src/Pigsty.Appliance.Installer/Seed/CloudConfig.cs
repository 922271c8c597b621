using System.Text;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>Reads the inventory out of a NoCloud <c>user-data</c>: a <c>#cloud-config</c> whose <c>pigsty:</c> key holds Pigsty's <c>all:</c> mapping.</summary>
public static class CloudConfig
{
    /// <summary>The first line cloud-init requires of a cloud-config.</summary>
    public const string Header = "#cloud-config";

    /// <summary>The value under <c>pigsty:</c>, with the file's lines and paths for the inventory loader's errors; anything else is an input error naming the file.</summary>
    public static async Task<YamlValue> InventoryAsync(string path, CancellationToken cancellationToken)
    {
        var first = await FirstLineAsync(path, cancellationToken);
        if (first.TrimEnd() != Header)
        {
            throw new InputException(path, $"user-data is not a {Header} (its first line is {Describe(first)}): the inventory is read from a {Header} "
                + $"user-data's '{SeedMedia.UserDataKey}:' key, or from {SeedMedia.InventoryName} on the seed volume");
        }

        var root = await YamlReader.LoadAsync(path, cancellationToken);
        return (root as YamlMapping)?.Find(SeedMedia.UserDataKey)
            ?? throw new InputException(path, $"the {Header} user-data has no '{SeedMedia.UserDataKey}:' key: put the inventory (Pigsty's all: mapping) "
                + $"under it, or give {SeedMedia.InventoryName} on the seed volume");
    }

    private static async Task<string> FirstLineAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
            var buffer = new char[256];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken);
            var text = new string(buffer, 0, read);
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the file: {e.Message}");
        }
    }

    /// <summary>The line as a person can read it: quoted, cut short, control and non-text characters shown as '?' (gzip, MIME parts).</summary>
    private static string Describe(string line)
    {
        if (line.Length == 0)
        {
            return "empty";
        }

        var shown = new string([.. line.TrimEnd('\r').Take(40).Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c)]);
        return $"'{shown}{(line.Length > 40 ? "…" : "")}'";
    }
}
