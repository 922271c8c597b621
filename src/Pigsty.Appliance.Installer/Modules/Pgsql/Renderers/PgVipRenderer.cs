using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>
/// The cluster VIP as Patroni callbacks: Patroni runs <see cref="ScriptPath"/> (through sudo, as root) on every start, stop, reload,
/// restart and role change, and the script holds the VIP exactly while this member is the leader. Debian 12's vip-manager 1.0.2 cannot
/// do this job: it reads etcd through the v2 API only, where Patroni's etcd3 keys (<c>/pg/&lt;cluster&gt;/leader</c>) do not exist.
/// </summary>
public static class PgVipRenderer
{
    /// <summary>The callback script.</summary>
    public const string ScriptPath = "/pg/bin/pg-vip";

    /// <summary>The sudoers rule that lets the dbsu (Patroni) run the script, and nothing else, as root.</summary>
    public const string SudoersPath = "/etc/sudoers.d/pg-vip";

    /// <summary>What patroni.yml's callbacks run; Patroni appends the event, the role and the cluster.</summary>
    public const string Callback = "/usr/bin/sudo -n " + ScriptPath;

    /// <summary>The sudoers line for <paramref name="dbsu"/>.</summary>
    public static string Sudoers(string dbsu) =>
        $"# written by pigsty-appliance: Patroni (as {dbsu}) moves the cluster VIP with {ScriptPath}\n{dbsu} ALL=(root) NOPASSWD: {ScriptPath}\n";

    /// <summary>
    /// The script for <paramref name="vip"/> on <paramref name="interfaceName"/> (resolved on the node). After adding the address it
    /// sends gratuitous ARP so that clients and switches learn the new holder at once instead of when their caches expire.
    /// </summary>
    public static string Script(PgsqlSettings settings, PgVip vip, string interfaceName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(vip);
        return $$"""
            #!/usr/bin/python3 -S
            # pg-vip EVENT ROLE CLUSTER: Patroni's callback for the VIP of {{settings.Cluster}} on {{settings.Self.Name}} (written by pigsty-appliance).
            # Holds {{vip.Cidr}} on {{interfaceName}} while this member leads (master, primary or standby_leader) and releases it otherwise.
            # Clients wait for the address during a failover: it is added first, before anything else is looked at (-S: no site imports).
            import socket, struct, subprocess, sys, time

            VIP, CIDR, DEV = "{{vip.Address}}", "{{vip.Cidr}}", "{{interfaceName}}"
            LEADING = ("master", "primary", "standby_leader")


            def holders():
                out = subprocess.run(["ip", "-o", "-4", "addr", "show"], check=True, capture_output=True, text=True).stdout
                return [f[1].split("@")[0] for f in (l.split() for l in out.splitlines()) if len(f) > 3 and f[3].split("/")[0] == VIP]


            def announce():
                # gratuitous ARP request: sender and target are the VIP, broadcast from this interface's MAC
                with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
                    s.bind((DEV, 0))
                    mac, ip = s.getsockname()[4], socket.inet_aton(VIP)
                    frame = b"\xff" * 6 + mac + struct.pack("!HHHBBH", 0x0806, 1, 0x0800, 6, 4, 1) + mac + ip + b"\0" * 6 + ip
                    for _ in range(3):
                        s.send(frame)
                        time.sleep(0.2)


            def main(event, role, cluster="{{settings.Cluster}}"):
                lead = event != "on_stop" and role in LEADING
                if lead:
                    # ip refuses an address the interface already holds: that is no error, anything else is
                    added = subprocess.run(["ip", "addr", "add", CIDR, "dev", DEV], capture_output=True, text=True)
                    if added.returncode == 0:
                        print(f"pg-vip: {event} as {role}: {CIDR} added on {DEV} ({cluster})", flush=True)
                        announce()
                    elif DEV not in holders():
                        sys.exit(f"pg-vip: {event} as {role}: cannot add {CIDR} on {DEV}: {added.stderr.strip()}")
                for dev in [d for d in holders() if not lead or d != DEV]:
                    subprocess.run(["ip", "addr", "del", CIDR, "dev", dev], check=True)
                    print(f"pg-vip: {event} as {role}: {CIDR} removed from {dev} ({cluster})", flush=True)


            if __name__ == "__main__":
                if len(sys.argv) < 3:
                    sys.exit("usage: pg-vip EVENT ROLE [CLUSTER]")
                main(*sys.argv[1:4])

            """;
    }
}
