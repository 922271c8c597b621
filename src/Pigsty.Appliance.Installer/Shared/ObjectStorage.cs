using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>What MINIO provides and PGSQL consumes: package names, the S3 domain, and the names of the S3 users' secrets.</summary>
public static class ObjectStorage
{
    /// <summary>The MinIO server package (a .deb the bundler wraps: /usr/bin/minio, minio.service, system user minio).</summary>
    public const string ServerPackage = "minio";

    /// <summary>MinIO's client, renamed mcli as in Pigsty's repository (/usr/bin/mcli).</summary>
    public const string ClientPackage = "mcli";

    /// <summary>Pigsty's <c>minio_domain</c> default: the name S3 clients (pgBackRest) use.</summary>
    public const string DefaultDomain = "sss.pigsty";

    /// <summary>Pigsty's <c>minio_port</c> default (S3 API).</summary>
    public const int DefaultPort = 9000;

    /// <summary>The credential holding an S3 user's secret key when the seed does not give one: <c>&lt;access_key&gt;_s3_key_secret</c>.</summary>
    /// <remarks>MINIO creates the user with it and PGSQL's pgBackRest reads it, so both sides always agree (e.g. <c>pgbackrest_s3_key_secret</c>).</remarks>
    public static string UserSecretName(string accessKey) => $"{accessKey}_s3_key_secret";

    /// <summary>Why MinIO cannot be installed from this bundle (exactly <c>minio not in bundle</c> or <c>mcli not in bundle</c>), or null.</summary>
    public static string? MissingFromBundle(RepoCatalog repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        return !repo.Has(ServerPackage) ? $"{ServerPackage} not in bundle"
            : !repo.Has(ClientPackage) ? $"{ClientPackage} not in bundle"
            : null;
    }
}
