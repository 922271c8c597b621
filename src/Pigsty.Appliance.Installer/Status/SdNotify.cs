using System.Net.Sockets;
using System.Text;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>systemd's notify protocol in a few lines: one datagram to $NOTIFY_SOCKET (Hosting.Systemd is not available here).</summary>
public sealed class SdNotify(string? socketPath)
{
    /// <summary>The notifier for this process, silent when not started by systemd with Type=notify.</summary>
    public static SdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>True when a notify socket is configured.</summary>
    public bool Enabled => !string.IsNullOrEmpty(socketPath);

    /// <summary>Sends <c>STATUS=</c>: the line <c>systemctl status</c> shows.</summary>
    public void Status(string text) => Send($"STATUS={text.ReplaceLineEndings(" ")}");

    /// <summary>Sends <c>READY=1</c> with a final status.</summary>
    public void Ready(string text) => Send($"READY=1\nSTATUS={text.ReplaceLineEndings(" ")}");

    private void Send(string message)
    {
        if (!Enabled)
        {
            return;
        }

        // A leading '@' names an abstract socket, which .NET spells with a NUL byte.
        var path = socketPath![0] == '@' ? "\0" + socketPath[1..] : socketPath;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(path));
        socket.Send(Encoding.UTF8.GetBytes(message));
    }
}
