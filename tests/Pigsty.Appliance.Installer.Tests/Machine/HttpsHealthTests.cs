using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

/// <summary>The https probe against a real TLS listener on loopback whose certificate comes from a site CA.</summary>
public sealed class HttpsHealthTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Dispose();
        _stop.Dispose();
        _http.Dispose();
        _temp.Dispose();
    }

    /// <summary>Serves "200 OK" over TLS with a certificate from <paramref name="ca"/> for 127.0.0.1; returns the URL.</summary>
    private Uri Serve(IssuedCertificate ca)
    {
        var issued = CertificateAuthority.Load(ca.CertificatePem, ca.PrivateKeyPem).Issue("minio-1.pigsty", ["minio-1.pigsty"], [IPAddress.Loopback], DateTimeOffset.UtcNow);

        // SslStream on Linux needs the key in an exportable, persisted form: round-trip through PKCS#12.
        using var pem = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);
        var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                try
                {
                    await using var tls = new SslStream(client.GetStream());
                    await tls.AuthenticateAsServerAsync(certificate);
                    var buffer = new byte[4096];
                    _ = await tls.ReadAsync(buffer, _stop.Token);
                    await tls.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
                }
                catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                {
                    // A client that refuses our certificate hangs up during the handshake.
                }
            }
        });
        return new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/minio/health/live");
    }

    private HealthProbe Probe() => new(new FakeServices(), _http, TimeProvider.System, ProcessRunner.Silent);

    [Fact]
    public async Task A_server_with_a_certificate_from_the_site_ca_is_healthy()
    {
        var ca = CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow);
        var uri = Serve(ca);

        await Probe().WaitForHttpsAsync("minio.service", uri, _temp.Write("ca.crt", ca.CertificatePem), TimeSpan.FromSeconds(10), CancellationToken.None);
    }

    [Fact]
    public async Task A_server_with_a_certificate_from_another_ca_is_refused()
    {
        var uri = Serve(CertificateAuthority.CreateRoot("other-ca", DateTimeOffset.UtcNow));
        var ours = _temp.Write("ca.crt", CertificateAuthority.CreateRoot("pigsty-ca", DateTimeOffset.UtcNow).CertificatePem);

        var error = await Assert.ThrowsAsync<InstallException>(() => Probe().WaitForHttpsAsync("minio.service", uri, ours, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains($"waited 1 s for GET {uri} to succeed (minio.service)", error.Reason, StringComparison.Ordinal);
    }
}
