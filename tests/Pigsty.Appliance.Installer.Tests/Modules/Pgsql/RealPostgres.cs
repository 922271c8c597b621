using System.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>
/// A real PostgreSQL 15 run by the dbsu with our parameters and pg_hba.conf (node paths moved into the test directory,
/// archiving to nowhere), on 127.0.0.1 and the usual socket directory at the settings' port; stopped on dispose.
/// </summary>
internal sealed class RealPostgres : IAsyncDisposable
{
    private readonly string _data;

    private readonly string _bin;

    private RealPostgres(string data, string logs, string bin)
    {
        _data = data;
        Logs = logs;
        _bin = bin;
    }

    /// <summary>The server's log directory (csvlog files and the startup log).</summary>
    public string Logs { get; }

    /// <summary>initdb, our configuration, a certificate from a fresh CA, then pg_ctl start (waits until it accepts connections).</summary>
    public static async Task<RealPostgres> StartAsync(TempDirectory temp, PgsqlSettings settings)
    {
        ArgumentNullException.ThrowIfNull(temp);
        ArgumentNullException.ThrowIfNull(settings);
        var bin = settings.BinDir;
        RealTool.Require($"{bin}/postgres");
        File.SetUnixFileMode(temp.Path, (UnixFileMode)0b111_101_101);
        var data = Directory.CreateDirectory(temp.File("data"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute).FullName;
        var certs = Directory.CreateDirectory(temp.File("cert")).FullName;
        var logs = Directory.CreateDirectory(temp.File("log")).FullName;
        var ca = CertificateAuthority.CreateRoot("test-ca", DateTimeOffset.UtcNow);
        var server = CertificateAuthority.Load(ca.CertificatePem, ca.PrivateKeyPem).Issue(settings.Self.Name, ["localhost"], [IPAddress.Loopback], DateTimeOffset.UtcNow);
        await File.WriteAllTextAsync(Path.Join(certs, "server.crt"), server.CertificatePem);
        await File.WriteAllTextAsync(Path.Join(certs, "server.key"), server.PrivateKeyPem);
        await File.WriteAllTextAsync(Path.Join(certs, "ca.crt"), ca.CertificatePem);
        File.SetUnixFileMode(Path.Join(certs, "server.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.True((await Run("chown", "-R", "postgres:postgres", certs, logs, data)).Succeeded);
        var initdb = await Run("runuser", "-u", "postgres", "--", RealTool.Require($"{bin}/initdb"), "-D", data, "-U", settings.Dbsu, "--auth=peer", "-E", "UTF8", "--locale=C");
        Assert.True(initdb.Succeeded, initdb.StandardError);

        var conf = PgParameters.ConfFile(settings)
            .Replace("/pg/cert/", certs + "/", StringComparison.Ordinal)
            .Replace(settings.LogDir + "/postgres", logs, StringComparison.Ordinal)
            .Replace($"pgbackrest --stanza={settings.Cluster} archive-push %p", "/bin/true", StringComparison.Ordinal);
        await File.AppendAllTextAsync(Path.Join(data, "postgresql.conf"), conf + $"port = {settings.Port}\nlisten_addresses = '127.0.0.1'\n");
        await File.WriteAllTextAsync(Path.Join(data, "pg_hba.conf"), HbaRenderer.PostgresFile(settings));
        var started = new RealPostgres(data, logs, bin);
        var start = await Run("runuser", "-u", "postgres", "--", RealTool.Require($"{bin}/pg_ctl"), "-D", data, "-l", Path.Join(logs, "startup.log"), "-w", "-t", "60", "start");
        if (!start.Succeeded)
        {
            await started.DisposeAsync();
            Assert.Fail(start.StandardOutput + start.StandardError + await File.ReadAllTextAsync(Path.Join(logs, "startup.log")));
        }

        return started;
    }

    /// <summary>Every line the server has logged so far (csvlog files and the startup log).</summary>
    public IEnumerable<string> LogLines() =>
        Directory.EnumerateFiles(Logs).SelectMany(File.ReadAllLines);

    public async ValueTask DisposeAsync() =>
        await Run("runuser", "-u", "postgres", "--", RealTool.Require($"{_bin}/pg_ctl"), "-D", _data, "-m", "immediate", "-w", "stop");

    private static Task<ProcessResult> Run(string tool, params string[] arguments) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments) with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
}
