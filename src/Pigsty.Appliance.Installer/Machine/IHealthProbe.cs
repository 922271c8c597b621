namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Waits for services with a deadline; a timeout fails with the unit's last journal lines.</summary>
public interface IHealthProbe
{
    /// <summary>Waits until a TCP connect to <paramref name="host"/>:<paramref name="port"/> succeeds.</summary>
    Task WaitForPortAsync(string unit, string host, int port, TimeSpan deadline, CancellationToken cancellationToken);

    /// <summary>Waits until GET <paramref name="uri"/> answers with a status <paramref name="accept"/> likes (default: 2xx).</summary>
    Task WaitForHttpAsync(string unit, Uri uri, TimeSpan deadline, CancellationToken cancellationToken, Func<int, bool>? accept = null);

    /// <summary>Waits until GET <paramref name="uri"/> (https) answers 2xx with a server certificate that chains to the CA in <paramref name="caCertificatePath"/>.</summary>
    Task WaitForHttpsAsync(string unit, Uri uri, string caCertificatePath, TimeSpan deadline, CancellationToken cancellationToken);

    /// <summary>Waits until <paramref name="command"/> exits 0 (for daemons without a TCP port, e.g. <c>chronyc tracking</c>).</summary>
    Task WaitForCommandAsync(string unit, Core.Processes.ProcessSpec command, TimeSpan deadline, CancellationToken cancellationToken);

    /// <summary>
    /// Waits until <paramref name="attempt"/> answers null (ready); a non-null answer says what is still missing and is the error
    /// when the deadline passes. For readiness no port or command expresses alone, e.g. a peer enabling etcd authentication.
    /// </summary>
    Task WaitUntilAsync(string unit, string what, Func<CancellationToken, Task<string?>> attempt, TimeSpan deadline, CancellationToken cancellationToken);
}
