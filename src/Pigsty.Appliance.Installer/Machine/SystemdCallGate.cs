namespace Pigsty.Appliance.Installer.Machine;

/// <summary>
/// Orders the systemctl calls of this process: job calls (start, stop, restart, reload) run side by side, and a call that makes
/// PID 1 reload its units (daemon-reload, enable, disable, mask, unmask) runs alone. A job that ends while PID 1 reloads can leave
/// its systemctl waiting for a signal that never comes: on three slow nodes, a <c>disable --now</c> beside another step's
/// daemon-reload hung for the whole 300 s and another failed with "Transport endpoint is not connected". A waiting reload goes
/// before jobs that arrive after it, so a stream of starts cannot hold it off. Job calls queue their job with <c>--no-block</c> and
/// read the unit's state afterwards (<see cref="SystemdServiceManager"/>), so each holds the gate only for a moment, and a reload
/// no longer waits for a slow unit to come up.
/// </summary>
public sealed class SystemdCallGate
{
    private readonly SemaphoreSlim _turnstile = new(1, 1);
    private readonly SemaphoreSlim _room = new(1, 1);
    private readonly SemaphoreSlim _count = new(1, 1);
    private int _jobs;

    /// <summary>The gate of this machine's PID 1: every service manager of the process shares it.</summary>
    public static SystemdCallGate Shared { get; } = new();

    /// <summary>Runs <paramref name="call"/> as a job call, beside other job calls.</summary>
    public async Task<T> JobAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _turnstile.WaitAsync(cancellationToken);
        _turnstile.Release();
        await EnterJobAsync(cancellationToken);
        try
        {
            return await call();
        }
        finally
        {
            await _count.WaitAsync(CancellationToken.None);
            if (--_jobs == 0)
            {
                _room.Release();
            }

            _count.Release();
        }
    }

    /// <summary>Runs <paramref name="call"/> alone: no job call and no other reload runs meanwhile.</summary>
    public async Task<T> ReloadAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        await _turnstile.WaitAsync(cancellationToken);
        try
        {
            await _room.WaitAsync(cancellationToken);
        }
        catch
        {
            _turnstile.Release();
            throw;
        }

        try
        {
            return await call();
        }
        finally
        {
            _room.Release();
            _turnstile.Release();
        }
    }

    private async Task EnterJobAsync(CancellationToken cancellationToken)
    {
        await _count.WaitAsync(cancellationToken);
        try
        {
            if (_jobs == 0)
            {
                await _room.WaitAsync(cancellationToken);
            }

            _jobs++;
        }
        finally
        {
            _count.Release();
        }
    }
}
