using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>The shapes MinIO accepts for bucket names, access keys and <c>minio_data</c>.</summary>
public static partial class MinioNames
{
    /// <summary>S3 bucket naming rules (without the IP-address and prefix exceptions, which MinIO refuses anyway).</summary>
    public static bool IsBucketName(string name) => BucketPattern().IsMatch(name);

    /// <summary>Access keys MinIO accepts and that are safe as credential names.</summary>
    public static bool IsAccessKey(string key) => AccessKeyPattern().IsMatch(key);

    /// <summary>An absolute path with at most one MinIO ellipsis <c>{a...b}</c>, e.g. <c>/data/minio</c> or <c>/data{1...4}</c>.</summary>
    [GeneratedRegex(@"^(?<head>/[A-Za-z0-9._/-]*?)(\{(?<from>[0-9]+)\.\.\.(?<to>[0-9]+)\}(?<tail>[A-Za-z0-9._/-]*))?$")]
    public static partial Regex DataPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketPattern();

    [GeneratedRegex("^[A-Za-z0-9._-]{3,128}$")]
    private static partial Regex AccessKeyPattern();
}
