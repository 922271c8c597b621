using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Pigsty.Appliance.BootTest.Network;

/// <summary>
/// TCP sockets that live in a named network namespace (<c>/run/netns/NAME</c>, as <c>ip netns add</c> makes it). A socket belongs
/// to the namespace of the thread that created it, so a short-lived thread of our own enters the namespace (setns(2)), creates the
/// socket and ends; binding, connecting and I/O then happen on any thread and stay in that namespace.
/// </summary>
internal static partial class NamespaceSockets
{
    private const int ReadOnlyCloseOnExec = 0x80000;
    private const int NewNetworkNamespace = 0x40000000;

    /// <summary>The path <c>ip netns</c> gives namespace <paramref name="name"/>.</summary>
    public static string PathOf(string name) => Path.Combine("/run/netns", name);

    /// <summary>A new IPv4 TCP socket inside namespace <paramref name="name"/>; throws <see cref="IOException"/> naming it when it cannot be entered.</summary>
    public static Socket CreateTcp(string name)
    {
        Socket? socket = null;
        Exception? error = null;
        // A thread of its own, never a pool thread: it leaves the host's namespace and ends there, so no other work runs on it.
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                error = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns-socket",
        };
        thread.Start();
        thread.Join();
        return socket ?? throw (error as IOException ?? new IOException($"cannot create a socket in network namespace {name}: {error?.Message}", error));
    }

    private static void Enter(string name)
    {
        var path = PathOf(name);
        var fd = Open(path, ReadOnlyCloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open network namespace {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        try
        {
            if (SetNamespace(fd, NewNetworkNamespace) != 0)
            {
                throw new IOException($"cannot enter network namespace {path} (setns): {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNamespace(int fd, int type);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
