using System.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Shared;

/// <summary>Our CA's output checked by openssl, the peer every service here uses.</summary>
public sealed class CertificateAuthorityTests
{
    [Fact]
    public async Task Issued_certificates_verify_against_the_ca_with_their_names()
    {
        using var temp = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("pigsty-ca", now);
        var ca = CertificateAuthority.Load(root.CertificatePem, root.PrivateKeyPem);
        var server = ca.Issue("pg-meta-1", ["pg-meta-1", "i.pigsty"], [IPAddress.Parse("10.10.10.10"), IPAddress.Loopback], now);
        var caPath = temp.Write("ca.crt", root.CertificatePem);
        var serverPath = temp.Write("server.crt", server.CertificatePem);
        var keyPath = temp.Write("server.key", server.PrivateKeyPem);

        var verify = await ProcessRunner.Silent.RunAsync(RealTool.Spec("openssl", "verify", "-CAfile", caPath, serverPath), CancellationToken.None);
        var text = await ProcessRunner.Silent.RunAsync(RealTool.Spec("openssl", "x509", "-in", serverPath, "-noout", "-text"), CancellationToken.None);
        var keyCheck = await ProcessRunner.Silent.RunAsync(RealTool.Spec("openssl", "pkey", "-in", keyPath, "-noout"), CancellationToken.None);

        Assert.Equal($"{serverPath}: OK\n", verify.StandardOutput);
        Assert.Contains("DNS:pg-meta-1, DNS:i.pigsty, IP Address:10.10.10.10, IP Address:127.0.0.1", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, keyCheck.ExitCode);
    }

    [Fact]
    public void Issued_tells_our_certificates_from_others_and_from_ones_that_expire_or_lack_a_name()
    {
        var now = DateTimeOffset.UtcNow;
        var root = CertificateAuthority.CreateRoot("pigsty-ca", now);
        var ca = CertificateAuthority.Load(root.CertificatePem, root.PrivateKeyPem);
        var otherRoot = CertificateAuthority.CreateRoot("other-ca", now);
        var other = CertificateAuthority.Load(otherRoot.CertificatePem, otherRoot.PrivateKeyPem);
        var ours = ca.Issue("nginx", ["i.pigsty"], [IPAddress.Loopback], now).CertificatePem;

        Assert.True(ca.Issued(ours, ["i.pigsty"], now.AddDays(30)));
        Assert.False(ca.Issued(ours, ["i.pigsty", "p.pigsty"], now.AddDays(30)));
        Assert.False(ca.Issued(ours, ["i.pigsty"], now.AddYears(11)));
        Assert.False(other.Issued(ours, ["i.pigsty"], now.AddDays(30)));
        Assert.False(ca.Issued("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n", [], now));
    }

    [Fact]
    public void Scrape_target_files_are_file_sd_yaml()
    {
        var target = new ScrapeTarget("pgsql", "pg-meta-1", ["10.10.10.10:9630"], new Dictionary<string, string> { ["ins"] = "pg-meta-1", ["cls"] = "pg-meta" });

        Assert.Equal("/etc/pigsty/targets/pgsql/pg-meta-1.yml", target.Path);
        Assert.Equal("""
            # written by pigsty-appliance; one target group
            - targets:
                - '10.10.10.10:9630'
              labels:
                cls: 'pg-meta'
                ins: 'pg-meta-1'

            """, target.Render());
    }
}
