using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>An entry of <c>minio_buckets</c>: <c>{ name: pgsql }</c>, optionally <c>versioning: true</c>.</summary>
public sealed record MinioBucket(string Name, bool Versioning = false)
{
    /// <summary>Reads one entry; a bucket name must follow S3's rules (3-63 lower-case letters, digits, '.', '-').</summary>
    public static MinioBucket Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var nameValue = map.Find("name") ?? throw value.Error("a bucket of minio_buckets needs a name");
        var name = nameValue.AsString();
        if (!MinioNames.IsBucketName(name))
        {
            throw nameValue.Error($"'{name}' is not a valid bucket name (3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit)");
        }

        return new MinioBucket(name, map.Find("versioning")?.AsBool() ?? false);
    }
}
