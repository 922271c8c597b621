using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Seed;

/// <summary>What a NoCloud <c>meta-data</c> says about this machine: its instance id and its host name (both optional).</summary>
public sealed partial record NoCloudMetaData(string? InstanceId, string? LocalHostname)
{
    /// <summary>No meta-data.</summary>
    public static NoCloudMetaData None { get; } = new(null, null);

    /// <summary>Reads meta-data (YAML, or the JSON cloud-localds writes); an empty file says nothing, anything malformed names the file.</summary>
    public static NoCloudMetaData Parse(string text, string path)
    {
        var root = YamlReader.Parse(text, path);
        if (root is YamlScalar { IsNull: true })
        {
            return None;
        }

        var mapping = root as YamlMapping ?? throw root.Error($"{SeedMedia.MetaData} must be a mapping (instance-id, local-hostname), got {root.Kind}");
        var instance = mapping.Find("instance-id")?.AsString();
        var hostname = mapping.Find("local-hostname") is { } value ? value.AsString() : null;
        if (hostname is not null && !HostnamePattern().IsMatch(hostname))
        {
            throw mapping.Find("local-hostname")!.Error($"'{hostname}' is not a host name (letters, digits and '-', dot-separated labels of at most 63)");
        }

        return new NoCloudMetaData(instance, hostname);
    }

    [GeneratedRegex(@"^(?=.{1,253}\z)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\z")]
    private static partial Regex HostnamePattern();
}
