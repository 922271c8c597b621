using System.Text;

namespace Pigsty.Appliance.Installer.Modules.Node.Renderers;

/// <summary>
/// An sshd drop-in. Debian's sshd_config includes <c>sshd_config.d/*.conf</c> at its top and sshd keeps the first value it
/// reads, so these settings win over the main file's.
/// </summary>
public static class SshdConfig
{
    public const string Path = "/etc/ssh/sshd_config.d/90-pigsty.conf";

    /// <summary>Where the drop-in is checked with <c>sshd -t -f</c> before it is installed (the include glob skips it).</summary>
    public const string CandidatePath = "/etc/ssh/sshd_config.d/.90-pigsty.conf.check";

    /// <summary>
    /// The drop-in: no root login, no X11 or agent forwarding, only local port forwarding (tunnels to the loopback-only
    /// consoles), fewer tries. Passwords are turned off only when <paramref name="admin"/> has SSH keys: with none, they stay
    /// the only way in besides the console.
    /// </summary>
    public static string Render(NodeAdmin? admin)
    {
        var keys = admin is { PublicKeys.Count: > 0 };
        var text = new StringBuilder("# written by pigsty-appliance (NODE): SSH hardening; this file is read before sshd_config's own settings, so it wins\n")
            .Append("PermitRootLogin no\n")
            .Append("PermitEmptyPasswords no\n");
        if (keys)
        {
            text.Append("# the admin user ").Append(admin!.Username).Append(" logs in by key (node_admin_pk_list): no passwords over the network\n")
                .Append("PasswordAuthentication no\n")
                .Append("KbdInteractiveAuthentication no\n");
        }
        else
        {
            text.Append("# node_admin_pk_list is empty: password logins stay possible, or nobody could log in over SSH\n");
        }

        return text
            .Append("PubkeyAuthentication yes\n")
            .Append("MaxAuthTries 4\n")
            .Append("LoginGraceTime 30\n")
            .Append("X11Forwarding no\n")
            .Append("AllowAgentForwarding no\n")
            .Append("# ssh -L to the consoles that listen on loopback only (MinIO, VictoriaMetrics); no remote forwards\n")
            .Append("AllowTcpForwarding local\n")
            .Append("ClientAliveInterval 300\n")
            .Append("ClientAliveCountMax 2\n")
            .ToString();
    }
}
