namespace Pigsty.Appliance.Cli.Push;

/// <summary>Where deploy reaches one inventory host: its inventory name and the SSH address, port and user (Ansible's ansible_host/port/user).</summary>
public sealed record SshTarget(string Name, string Host, int Port, string User)
{
    /// <summary>The name known_hosts files this host under.</summary>
    public string KnownHostName => KnownHosts.HostName(Host, Port);

    public override string ToString() => $"{User}@{Host}:{Port}";
}
