using System.Net;
using System.Net.Sockets;

namespace Pigsty.Appliance.BootTest.Network;

/// <summary>
/// A port on the host's 127.0.0.1 whose connections are carried to one address inside the test's network namespace, so that an
/// in-process client (SSH.NET) reaches a guest on the test network without a process per connection. It listens on loopback only
/// and connects only to its one target, from inside the namespace: no traffic leaves what the test made.
/// </summary>
internal sealed class NamespaceForward : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly string _namespace;
    private readonly IPEndPoint _target;

    private NamespaceForward(string networkNamespace, IPEndPoint target)
    {
        _namespace = networkNamespace;
        _target = target;
    }

    /// <summary>The loopback port to connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Why the last connection could not be carried on (cannot enter the namespace, target refused or silent), or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Listens on a free loopback port and carries each connection to <paramref name="target"/> inside <paramref name="networkNamespace"/>.</summary>
    public static NamespaceForward Start(string networkNamespace, IPEndPoint target)
    {
        var forward = new NamespaceForward(networkNamespace, target);
        forward._listener.Start();
        _ = forward.AcceptAsync();
        return forward;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket inbound;
            try
            {
                inbound = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = CarryAsync(inbound);
        }
    }

    private async Task CarryAsync(Socket inbound)
    {
        using (inbound)
        {
            Socket outbound;
            try
            {
                outbound = NamespaceSockets.CreateTcp(_namespace);
            }
            catch (IOException e)
            {
                LastError = e.Message;
                return;
            }

            using (outbound)
            {
                try
                {
                    using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    limit.CancelAfter(ConnectTimeout);
                    await outbound.ConnectAsync(_target, limit.Token);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    LastError = e is SocketException
                        ? $"{_target} in network namespace {_namespace}: {e.Message}"
                        : $"{_target} in network namespace {_namespace} did not answer within {ConnectTimeout.TotalSeconds:0} s";
                    return;
                }

                LastError = null;
                await Task.WhenAll(PumpAsync(inbound, outbound), PumpAsync(outbound, inbound));
            }
        }
    }

    /// <summary>Copies one direction until its end, then half-closes the other side; on an error both sockets close, which ends the other direction too.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            from.Close();
            to.Close();
        }
    }
}
