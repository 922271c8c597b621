using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Modules.Minio;

namespace Pigsty.Appliance.Installer.Tests.Modules.Minio;

public sealed class MinioUserTests
{
    private static MinioUser Parse(string entry) =>
        MinioUser.Parse(YamlReader.Parse(entry, "pigsty.yml"), MinioSettings.DefaultBuckets);

    [Fact]
    public void A_policy_named_after_a_bucket_limits_the_user_to_that_bucket_as_in_Pigsty()
    {
        var user = Parse("{ access_key: pgbackrest, secret_key: S3User.Backup, policy: pgsql }");

        Assert.Equal(("pgbackrest", "pgsql", "S3User.Backup"), (user.AccessKey, user.Bucket, user.SecretKey));
    }

    [Fact]
    public void A_built_in_policy_is_kept_for_every_bucket()
    {
        var user = Parse("{ access_key: dba, secret_key: S3User.DBA, policy: consoleAdmin }");

        Assert.Equal(("consoleAdmin", null), (user.Policy, user.Bucket));
    }

    [Fact]
    public void A_policy_nobody_creates_is_an_error_naming_it()
    {
        var error = Assert.ThrowsAny<ApplianceException>(() => Parse("{ access_key: app, policy: nosuch }"));

        Assert.Equal("pigsty.yml:1:28: policy: policy 'nosuch' is neither a MinIO built-in policy (consoleAdmin, readwrite, readonly, writeonly, diagnostics) "
            + "nor a bucket of minio_buckets (Pigsty makes one policy per bucket)", error.Message);
    }
}
