using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>etcdctl (v3 API) against one member over TLS; credentials travel in the environment and passwords on stdin, never in argv.</summary>
public static class EtcdCtl
{
    /// <summary>An etcdctl command, as root when <paramref name="rootPassword"/> is given, with <paramref name="input"/> on stdin.</summary>
    public static ProcessSpec Command(string endpoint, string? rootPassword, IReadOnlyList<string> arguments, string? input = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ETCDCTL_API"] = "3",
            ["ETCDCTL_ENDPOINTS"] = endpoint,
            ["ETCDCTL_CACERT"] = EtcdSettings.CaPath,
            ["ETCDCTL_DIAL_TIMEOUT"] = "3s",
            ["ETCDCTL_COMMAND_TIMEOUT"] = "10s",
            ["ETCDCTL_USER"] = rootPassword is null ? null : "root",
            ["ETCDCTL_PASSWORD"] = rootPassword,
        };
        return new ProcessSpec("etcdctl", arguments)
        {
            Environment = environment,
            StandardInput = input,
            Secrets = rootPassword is null ? [] : [rootPassword],
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>True when etcd refused a request for want of credentials, i.e. authentication is enabled.</summary>
    public static bool RefusedForAuth(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return !result.Succeeded && result.StandardError.Contains("user name is empty", StringComparison.Ordinal);
    }
}
