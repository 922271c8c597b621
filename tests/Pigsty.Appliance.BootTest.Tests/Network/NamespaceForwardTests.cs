using System.Net;
using System.Net.Sockets;
using System.Text;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Network;

/// <summary>
/// The loopback forward into a real network namespace the test makes (<c>ip netns add</c>, its own loopback up, nothing else):
/// sockets made inside it, bytes carried both ways with half-close, and the reasons a connection could not be carried.
/// </summary>
public sealed class NamespaceForwardTests : IAsyncLifetime
{
    private readonly string _name = TestNetwork.UniqueName();

    public async Task InitializeAsync()
    {
        await RealTool.CheckAsync("ip", "netns", "add", _name);
        await RealTool.CheckAsync("ip", "-n", _name, "link", "set", "lo", "up");
    }

    public Task DisposeAsync() => RealTool.RunAsync("ip", "netns", "del", _name);

    [Fact]
    public async Task Carries_a_connection_both_ways_to_a_server_inside_the_namespace()
    {
        using var server = NamespaceSockets.CreateTcp(_name);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen();
        var port = ((IPEndPoint)server.LocalEndPoint!).Port;

        // The same port is still free on the host's own loopback: the server's socket is not in the host's namespace.
        using (var host = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            host.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }

        var served = Task.Run(async () =>
        {
            using var accepted = await server.AcceptAsync();
            var request = await ReadToEndAsync(accepted);
            await accepted.SendAsync(new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes(request.ToUpperInvariant())), SocketFlags.None);
            accepted.Shutdown(SocketShutdown.Send);
        });

        using var forward = NamespaceForward.Start(_name, new IPEndPoint(IPAddress.Loopback, port));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, forward.Port));
        await client.SendAsync(new ReadOnlyMemory<byte>(Encoding.ASCII.GetBytes("ping")), SocketFlags.None);
        client.Shutdown(SocketShutdown.Send);

        Assert.Equal("PING", await ReadToEndAsync(client));
        await served.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(forward.LastError);
    }

    [Fact]
    public async Task A_refused_target_closes_the_connection_and_says_where()
    {
        using var forward = NamespaceForward.Start(_name, new IPEndPoint(IPAddress.Loopback, FreePort.Next()));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, forward.Port));

        Assert.Equal("", await ReadToEndAsync(client));
        Assert.Contains($"in network namespace {_name}", forward.LastError, StringComparison.Ordinal);
        Assert.Contains("refused", forward.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_namespace_that_does_not_exist_is_named_in_the_error()
    {
        var missing = TestNetwork.UniqueName();

        var error = Assert.Throws<IOException>(() => NamespaceSockets.CreateTcp(missing));

        Assert.Contains(NamespaceSockets.PathOf(missing), error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token)) > 0)
        {
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
