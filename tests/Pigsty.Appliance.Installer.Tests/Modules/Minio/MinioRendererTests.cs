using Pigsty.Appliance.Installer.Modules.Minio.Renderers;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Minio;

public sealed class MinioRendererTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void Single_node_renders_the_environment_file_and_our_unit()
    {
        var settings = MinioFixture.Settings(_root.Path, "single-node.yml", "10.10.10.10");

        Golden.Assert(MinioRenderer.Environment(settings, "Root.Secret"), "Modules/Minio/Golden/single/minio.env");
        Golden.Assert(MinioRenderer.Unit(settings).Render(), "Modules/Minio/Golden/single/minio.service");
        Golden.Assert(MinioRenderer.McliConfig(settings, "Root.Secret"), "Modules/Minio/Golden/single/mcli-config.json");
        Assert.Equal(["/data/minio"], settings.Drives);
        Assert.Equal("minio-1.pigsty", settings.Member.Name);
    }

    [Fact]
    public void S3_listens_on_the_member_address_and_the_console_on_loopback_only() =>
        Assert.Contains("MINIO_OPTS=\"--address 10.10.10.10:9000 --console-address 127.0.0.1:9001 ",
            MinioRenderer.Environment(MinioFixture.Settings(_root.Path, "single-node.yml", "10.10.10.10"), "Root.Secret"), StringComparison.Ordinal);

    [Fact]
    public void Multi_node_volumes_use_the_ellipsis_over_node_names_and_drives()
    {
        var settings = MinioFixture.Settings(_root.Path, MinioFixture.ThreeNodes, "10.10.10.12");

        Golden.Assert(MinioRenderer.Environment(settings, "Root.Secret"), "Modules/Minio/Golden/three/minio-2.env");
        Assert.Equal("https://minio-{1...3}.pigsty:9000/data{1...4}", settings.Volumes);
        Assert.Equal(["/data1", "/data2", "/data3", "/data4"], settings.Drives);
        Assert.Equal(["10.10.10.11 minio-1.pigsty", "10.10.10.12 minio-2.pigsty", "10.10.10.13 minio-3.pigsty", "10.10.10.12 sss.pigsty"], settings.HostRecords);
    }

    [Fact]
    public void Members_with_gaps_in_their_sequence_are_listed_one_by_one()
    {
        var inventory = MinioFixture.ThreeNodes.Replace("minio_seq: 3", "minio_seq: 5", StringComparison.Ordinal)
            .Replace("minio_data: '/data{1...4}'", "minio_https: false", StringComparison.Ordinal);

        var settings = MinioFixture.Settings(_root.Path, inventory, "10.10.10.11");

        Assert.Equal("http://minio-1.pigsty:9000/data/minio http://minio-2.pigsty:9000/data/minio http://minio-5.pigsty:9000/data/minio", settings.Volumes);
        Assert.DoesNotContain("--certs-dir", MinioRenderer.Environment(settings, "x"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_pgbackrest_policy_allows_its_bucket_and_nothing_else()
    {
        var policy = MinioRenderer.BucketPolicy("pgsql");

        Golden.Assert(policy, "Modules/Minio/Golden/readwrite-pgsql.json");
        using var json = System.Text.Json.JsonDocument.Parse(policy);
        var resources = json.RootElement.GetProperty("Statement")[0].GetProperty("Resource").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Equal(["arn:aws:s3:::pgsql", "arn:aws:s3:::pgsql/*"], resources);
    }

    [Fact]
    public void Scrape_targets_name_each_member_with_https()
    {
        var settings = MinioFixture.Settings(_root.Path, "single-node.yml", "10.10.10.10");

        var target = Assert.Single(MinioRenderer.ScrapeTargets(settings));

        Assert.Equal("/etc/pigsty/targets/minio/minio-1.yml", target.Path);
        Golden.Assert(target.Render(), "Modules/Minio/Golden/single/minio-1.yml");
    }

    [Theory]
    [InlineData("data/minio", "minio_data 'data/minio' is not an absolute path, optionally with one MinIO ellipsis such as /data{1...4}")]
    [InlineData("/data{4...1}", "minio_data '/data{4...1}': the ellipsis {4...1} must count up, at most 64 drives")]
    [InlineData("/data{1..4}", "minio_data '/data{1..4}' is not an absolute path, optionally with one MinIO ellipsis such as /data{1...4}")]
    [InlineData("/data/../etc", "minio_data '/data/../etc' is not an absolute path, optionally with one MinIO ellipsis such as /data{1...4}")]
    public void A_bad_minio_data_is_an_input_error_naming_the_field(string data, string message)
    {
        var inventory = MinioFixture.ThreeNodes.Replace("'/data{1...4}'", $"'{data}'", StringComparison.Ordinal);

        var error = Assert.Throws<Core.Errors.InputException>(() => MinioFixture.Settings(_root.Path, inventory, "10.10.10.11"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("minio_data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_bucket_name_is_an_input_error()
    {
        var inventory = MinioFixture.ThreeNodes.Replace("minio_data: '/data{1...4}'", "minio_buckets: [{ name: Bad_Bucket }]", StringComparison.Ordinal);

        var error = Assert.Throws<Core.Errors.InputException>(() => MinioFixture.Settings(_root.Path, inventory, "10.10.10.11"));

        Assert.Contains("'Bad_Bucket' is not a valid bucket name", error.Message, StringComparison.Ordinal);
    }
}
