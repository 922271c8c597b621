using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Modules.Etcd;

/// <summary>
/// On the first member, as root: an etcd user and role per PostgreSQL cluster that uses this etcd cluster, read-write on the
/// cluster's own prefix only (Pigsty's per-cluster etcd users), so Patroni never needs root and one cluster cannot touch another's keys.
/// </summary>
public static class EtcdPatroniUsers
{
    /// <summary>The step; runs again when a user, its prefix or its password changes (only a hash of them is kept).</summary>
    public static Step Step(EtcdSettings settings, IReadOnlyList<PatroniEtcdUser> users)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(users);
        return ScriptSteps.Once(
            "etcd.patroni-users",
            $"etcd users for Patroni: {string.Join(", ", users.Select(u => $"{u.Name} (read-write {u.Prefix})"))}",
            async (c, t) => string.Concat(await Task.WhenAll(users.Select(async u => $"{u.Name}\u001f{u.Prefix}\u001f{await u.PasswordAsync(c.Node.Credentials, t)}\n"))),
            async (c, _, t) =>
            {
                var root = await c.Node.Credentials.GetAsync(EtcdSettings.RootPasswordName, t);
                foreach (var user in users)
                {
                    var password = await user.PasswordAsync(c.Node.Credentials, t);
                    await EtcdCtl.ConvergeAsync(() => EnsureAsync(c, settings.ClientEndpoints, root, user, password, t), t);
                }
            },
            async (c, t) =>
            {
                foreach (var user in users)
                {
                    await VerifyAsync(c, settings.ClientEndpoints, user, await user.PasswordAsync(c.Node.Credentials, t), t);
                }
            });
    }

    /// <summary>
    /// Role with the prefix permission, user with the password, role granted: each command converges whatever exists. The reads ride
    /// out a silent etcd, and an add that answers "already exists" is done: etcdctl repeats a write on its own after a transport
    /// error, and a three-VM run failed when the repeat of an applied <c>role add</c> got "role name already exists".
    /// </summary>
    private static async Task EnsureAsync(StepContext context, string endpoints, string root, PatroniEtcdUser user, string password, CancellationToken cancellationToken)
    {
        ProcessSpec Spec(IReadOnlyList<string> arguments, string? input = null) => EtcdCtl.Command(endpoints, root, arguments, input) with { Secrets = [root, password] };
        async Task<ProcessResult> Run(IReadOnlyList<string> arguments, string? input = null) => await context.Machine.Processes.RunAsync(Spec(arguments, input), cancellationToken);
        async Task<ProcessResult> Read(IReadOnlyList<string> arguments, string what)
        {
            var result = await EtcdCtl.QueryAsync(context.Machine.Processes, Spec(arguments), cancellationToken);
            if (!result.Succeeded && !EtcdCtl.NotFound(result))
            {
                EtcdCtl.Check(result, what);
            }

            return result;
        }

        if (!(await Read(["role", "get", user.Name], $"role get {user.Name}")).Succeeded)
        {
            EtcdCtl.CheckAdded(await Run(["role", "add", user.Name]), $"role add {user.Name}");
        }

        EtcdCtl.Check(await Run(["role", "grant-permission", user.Name, "--prefix=true", "readwrite", user.Prefix]), $"role grant-permission {user.Name}");
        var existing = await Read(["user", "get", user.Name], $"user get {user.Name}");
        var exists = existing.Succeeded || !EtcdCtl.CheckAdded(await Run(["user", "add", user.Name, "--interactive=false"], password + "\n"), $"user add {user.Name}");
        if (exists)
        {
            EtcdCtl.Check(await Run(["user", "passwd", user.Name, "--interactive=false"], password + "\n"), $"user passwd {user.Name}");
        }

        var roles = existing.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("Roles:", StringComparison.Ordinal))?["Roles:".Length..];
        if (!existing.Succeeded || roles?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(user.Name) != true)
        {
            EtcdCtl.Check(await Run(["user", "grant-role", user.Name, user.Name]), $"user grant-role {user.Name}");
        }
    }

    /// <summary>The user logs in and reads its prefix, and is refused a key just outside it.</summary>
    private static async Task VerifyAsync(StepContext context, string endpoints, PatroniEtcdUser user, string password, CancellationToken cancellationToken)
    {
        var inside = await EtcdCtl.QueryAsync(context.Machine.Processes,
            EtcdCtl.AsUser(endpoints, user.Name, password, ["get", user.Prefix, "--prefix", "--keys-only", "--limit=1"]), cancellationToken);
        var outside = await EtcdCtl.QueryAsync(context.Machine.Processes,
            EtcdCtl.AsUser(endpoints, user.Name, password, ["get", user.Prefix.TrimEnd('/')]), cancellationToken);
        if (!inside.Succeeded || !outside.StandardError.Contains("permission denied", StringComparison.Ordinal))
        {
            throw new InstallException("etcd.patroni-users",
                $"etcd user {user.Name} should read {user.Prefix} and nothing outside it: {(inside.StandardError + outside.StandardError).Trim()}");
        }
    }
}
