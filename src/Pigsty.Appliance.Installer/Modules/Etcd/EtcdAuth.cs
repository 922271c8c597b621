using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>RBAC on the cluster: a <c>root</c> user with the generated (or seed-given) password, and authentication enabled.</summary>
public static class EtcdAuth
{
    /// <summary>How long a member waits for the first member to enable authentication (peers may still be installing).</summary>
    public static readonly TimeSpan PeerDeadline = TimeSpan.FromMinutes(20);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>On the first member: create or reset root, grant it the root role, enable authentication. Every command is idempotent.</summary>
    public static Step Enable(EtcdSettings settings, TimeSpan? patience = null) => new(
        "etcd.auth",
        $"root user and authentication on etcd cluster {settings.Cluster}",
        (c, t) => IsEnabledAsync(c, settings, patience, t),
        async (c, t) => await EtcdCtl.ConvergeAsync(async () =>
        {
            // Again after a silent spell: a timed-out 'auth enable' may have been applied, and then root's login works.
            if (await IsEnabledAsync(c, settings, patience, t))
            {
                return;
            }

            var password = await c.Node.Credentials.GetAsync(EtcdSettings.RootPasswordName, t);
            var endpoints = settings.ClientEndpoints;
            var list = await EtcdCtl.QueryAsync(c.Machine.Processes, EtcdCtl.Command(endpoints, null, ["user", "list"]), t);
            if (EtcdCtl.RefusedForAuth(list))
            {
                throw new InstallException("etcd.auth",
                    $"authentication is already enabled on etcd cluster {settings.Cluster} and the root password in "
                    + $"{EtcdSettings.RootPasswordName} is refused; give the cluster's password in the seed or reset the cluster");
            }

            EtcdCtl.Check(list, "user list");
            // An add that finds root there already is a repeated write etcd had applied: set the password then, as for an existing root.
            var exists = list.StandardOutput.Split('\n').Any(l => l.Trim() == "root")
                || !EtcdCtl.CheckAdded(await c.Machine.Processes.RunAsync(EtcdCtl.Command(endpoints, null, ["user", "add", "root", "--interactive=false"], password + "\n"), t), "user add root");
            if (exists)
            {
                EtcdCtl.Check(await c.Machine.Processes.RunAsync(EtcdCtl.Command(endpoints, null, ["user", "passwd", "root", "--interactive=false"], password + "\n"), t), "user passwd root");
            }

            EtcdCtl.Check(await c.Machine.Processes.RunAsync(EtcdCtl.Command(endpoints, null, ["user", "grant-role", "root", "root"]), t), "user grant-role root root");
            EtcdCtl.Check(await c.Machine.Processes.RunAsync(EtcdCtl.Command(endpoints, null, ["auth", "enable"]), t), "auth enable");
        }, t),
        async (c, t) =>
        {
            if (!await IsEnabledAsync(c, settings, patience, t))
            {
                throw new InstallException("etcd.auth", $"authentication is still not enabled on {settings.ClientEndpoints} with the root password");
            }
        });

    /// <summary>On the other members: wait (with a deadline) until the first member has enabled authentication.</summary>
    public static Step Await(EtcdSettings settings) => new(
        "etcd.auth",
        $"wait for authentication on etcd cluster {settings.Cluster} (enabled by {settings.First.Name})",
        (c, t) => IsEnabledAsync(c, settings, TimeSpan.Zero, t, silentIsNo: true),
        async (c, t) =>
        {
            var until = DateTimeOffset.UtcNow + PeerDeadline;
            // A silent cluster is one more reason to wait here, within the same deadline.
            while (!await IsEnabledAsync(c, settings, TimeSpan.Zero, t, silentIsNo: true))
            {
                if (DateTimeOffset.UtcNow >= until)
                {
                    throw new InstallException("etcd.auth",
                        $"waited {PeerDeadline.TotalMinutes:0} min for {settings.First.Name} to enable authentication on etcd cluster {settings.Cluster}");
                }

                await Task.Delay(PollInterval, t);
            }
        },
        (_, _) => Task.CompletedTask);

    /// <summary>
    /// Root's password works and a request without credentials is refused (etcd accepts any credentials while auth is off). etcd is
    /// asked for up to <paramref name="patience"/>; if it stays silent that is an error naming it, or "no" with <paramref name="silentIsNo"/>.
    /// </summary>
    private static async Task<bool> IsEnabledAsync(StepContext context, EtcdSettings settings, TimeSpan? patience, CancellationToken cancellationToken,
        bool silentIsNo = false)
    {
        var password = await context.Node.Credentials.GetAsync(EtcdSettings.RootPasswordName, cancellationToken);
        var asRoot = await EtcdCtl.QueryAsync(context.Machine.Processes, EtcdCtl.Command(settings.ClientEndpoints, password, ["user", "get", "root"]), cancellationToken, patience);
        if (EtcdCtl.Transient(asRoot))
        {
            return silentIsNo ? false : throw new InstallException("etcd.auth",
                $"etcd on {settings.ClientEndpoints} did not answer for {(patience ?? EtcdCtl.QueryPatience).TotalSeconds:0} s: " + Tail(asRoot.StandardError));
        }

        if (!asRoot.Succeeded)
        {
            return false;
        }

        var anonymous = await EtcdCtl.QueryAsync(context.Machine.Processes, EtcdCtl.Command(settings.ClientEndpoints, null, ["user", "list"]), cancellationToken, patience);
        return EtcdCtl.RefusedForAuth(anonymous);
    }

    /// <summary>etcdctl's last error line (its JSON warnings before it say the same at length).</summary>
    private static string Tail(string error) => error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
}
