using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>An entry of <c>minio_users</c>: access key, policy, an optional seed-given secret key and an optional bucket it is limited to.</summary>
/// <param name="Policy">A MinIO policy (<c>consoleAdmin</c>, <c>readwrite</c>, <c>readonly</c>…); ignored when <paramref name="Bucket"/> is set.</param>
/// <param name="Bucket">When set, the user gets our policy <c>readwrite-&lt;bucket&gt;</c>: every S3 action on that bucket only.</param>
public sealed record MinioUser(string AccessKey, string Policy, string? SecretKey = null, string? Bucket = null)
{
    /// <summary>The policy attached to the user.</summary>
    public string PolicyName => Bucket is null ? Policy : $"readwrite-{Bucket}";

    /// <summary>The credential that holds the secret key when the seed does not give one (shared with pgBackRest's s3_key_secret).</summary>
    public string SecretName => ObjectStorage.UserSecretName(AccessKey);

    /// <summary>MinIO's built-in policies.</summary>
    public static readonly IReadOnlyList<string> BuiltInPolicies = ["consoleAdmin", "readwrite", "readonly", "writeonly", "diagnostics"];

    /// <summary>
    /// Reads one entry: <c>{ access_key: dba, secret_key: …, policy: consoleAdmin }</c>. As in Pigsty, a policy named after a bucket
    /// of <paramref name="buckets"/> means every S3 action on that bucket only (<c>bucket: pgsql</c> says the same); any other
    /// policy must be one of MinIO's built-ins, since nothing else creates it.
    /// </summary>
    public static MinioUser Parse(YamlValue value, IReadOnlyList<MinioBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(buckets);
        var map = value.AsMapping();
        var keyValue = map.Find("access_key") ?? throw value.Error("a user of minio_users needs an access_key");
        var key = keyValue.AsString();
        if (!MinioNames.IsAccessKey(key))
        {
            throw keyValue.Error($"'{key}' is not a valid access key (3-128 letters, digits, '.', '_' and '-')");
        }

        var bucket = map.Find("bucket")?.AsString();
        if (bucket is not null && !MinioNames.IsBucketName(bucket))
        {
            throw map.Find("bucket")!.Error($"'{bucket}' is not a valid bucket name");
        }

        var policy = map.Find("policy")?.AsString() ?? "readwrite";
        if (bucket is null && !BuiltInPolicies.Contains(policy, StringComparer.Ordinal))
        {
            bucket = buckets.Any(b => b.Name == policy) ? policy
                : throw map.Find("policy")!.Error($"policy '{policy}' is neither a MinIO built-in policy ({string.Join(", ", BuiltInPolicies)}) "
                    + "nor a bucket of minio_buckets (Pigsty makes one policy per bucket)");
        }

        return new MinioUser(key, policy, map.Find("secret_key")?.AsString(), bucket);
    }
}
