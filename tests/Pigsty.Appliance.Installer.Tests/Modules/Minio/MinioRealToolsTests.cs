using Pigsty.Appliance.Installer.Modules.Minio.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Modules.Pgsql;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Minio;

/// <summary>The S3 repository options checked by the real pgBackRest 2.45 (no MinIO here: it must accept every option and fail only at the connection).</summary>
public sealed class MinioRealToolsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Systemd_accepts_the_minio_unit()
    {
        var settings = MinioFixture.Settings(_temp.Path, MinioFixture.ThreeNodes, "10.10.10.12");

        // Debian has no minio: a node gets /usr/bin/minio from the bundle's wrapped release binary (recipes/pigsty-d12.yml).
        await UnitCheck.VerifyInRootAsync(_temp, new Dictionary<string, string> { ["/usr/bin/minio"] = "#!/bin/sh\n" }, MinioRenderer.Unit(settings));
    }

    [Fact]
    public async Task Pgbackrest_accepts_every_option_of_the_minio_repository()
    {
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pgbackrest_method: local", "pgbackrest_method: minio", StringComparison.Ordinal);
        var settings = PgsqlFixture.Settings(inventory, "10.10.10.10");
        var ca = _temp.Write("ca.crt", CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow).CertificatePem);
        var port = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var repository = settings.Backup.Options.Select(o => (o.Key, o.Key switch
        {
            "s3_endpoint" => "127.0.0.1",
            "storage_port" => port,
            "storage_ca_file" => ca,
            _ => o.Secret is null ? o.Value : "Secret.Value",
        })).ToList();
        var text = PgbackrestRenderer.Render(settings, repository)
            .Replace("spool-path=/pg/tmp", $"spool-path={_temp.File("spool")}", StringComparison.Ordinal)
            .Replace($"log-path={settings.LogDir}/pgbackrest", $"log-path={_temp.File("log")}", StringComparison.Ordinal);
        var path = _temp.Write("pgbackrest.conf", text);

        var info = await RealTool.RunAsync("pgbackrest", $"--config={path}", "--stanza=pg-meta", "--log-level-file=off", "--io-timeout=1", "info");
        var output = info.StandardOutput + info.StandardError;

        Assert.DoesNotContain("invalid option", output, StringComparison.Ordinal);
        Assert.Contains("stanza: pg-meta", output, StringComparison.Ordinal);
        Assert.Contains("status: error", output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", output, StringComparison.Ordinal);
    }
}
