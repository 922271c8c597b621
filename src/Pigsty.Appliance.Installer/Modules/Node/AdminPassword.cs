using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;

namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>
/// A way in when the seed gives the admin user no SSH key (the image's embedded default seed): a one-time password, expired at once
/// (<c>chage -d 0</c>) so that the first login must change it, shown on the local console and its login banner only. It never
/// reaches status.json, the portal, the install log or the journal (the step's title and notes do not carry it, the commands mask it).
/// </summary>
public static class AdminPassword
{
    /// <summary>agetty shows every <c>/etc/issue.d/*.issue</c> under /etc/issue, on the local consoles only.</summary>
    public const string IssuePath = "/etc/issue.d/pigsty-admin.issue";

    /// <summary>How the banner's first line starts; the user, ": " and the password follow.</summary>
    public const string BannerStart = "One-time password for ";

    /// <summary>Where a line reaches whoever watches the machine's own screen or serial port.</summary>
    public const string Console = "/dev/console";

    /// <summary>What <c>passwd -S</c> shows as the last change of a password <c>chage -d 0</c> expired.</summary>
    private const string Expired = "1970-01-01";

    internal static Step Step(NodeAdmin admin) => new(
        "node.admin-password",
        $"one-time password for {admin.Username} (node_admin_pk_list is empty): on the local console and {IssuePath} only, changed at first login",
        async (c, t) =>
        {
            var (usable, expired) = await StateAsync(c, admin, t);
            return usable && expired == c.Machine.Files.Exists(IssuePath);
        },
        async (c, t) =>
        {
            var (usable, expired) = await StateAsync(c, admin, t);
            if (usable && !expired)
            {
                // Changed at the first login (or set by someone else): the banner's one-time password is no longer true.
                await c.Machine.Files.DeleteAsync(IssuePath, t);
                return;
            }

            // No password yet, or one we set but can no longer show (a power cut before the banner was written): a new one.
            var password = Credentials.Generate(16);
            await c.Machine.Processes.RunAsync(new ProcessSpec("chpasswd", []) { StandardInput = $"{admin.Username}:{password}\n", Secrets = [password] }, t);
            await c.Machine.Processes.RunAsync(ProcessSpec.Of("chage", "--lastday", "0", admin.Username), t);
            var banner = Banner(admin, password);
            await c.Machine.Files.WriteAsync(IssuePath, banner, FileSpec.Secret, t);
            await c.Machine.Processes.RunAsync(new ProcessSpec("dd", [$"of={Console}", "status=none"])
            {
                StandardInput = "\n" + banner,
                Secrets = [password],
                // A node without a console device still has the banner: the line is a courtesy, not the way in.
                ThrowOnNonZeroExit = false,
            }, t);
        },
        async (c, t) =>
        {
            if (!(await StateAsync(c, admin, t)).Usable)
            {
                throw new InstallException("node.admin-password", $"passwd -S {admin.Username} shows no usable password after chpasswd");
            }
        });

    /// <summary>The banner lines (agetty reads backslashes as escapes: the password alphabet has none).</summary>
    public static string Banner(NodeAdmin admin, string password) =>
        $"{BannerStart}{admin.Username}: {password}\n"
        + $"Log in as {admin.Username} on this console; the password must be changed at once. Then add an SSH key to node_admin_pk_list.\n\n";

    /// <summary><c>passwd -S</c>: whether the user has a usable password (P), and whether it is expired to be changed at the next login.</summary>
    private static async Task<(bool Usable, bool Expired)> StateAsync(StepContext context, NodeAdmin admin, CancellationToken cancellationToken)
    {
        var fields = (await context.Machine.Processes.RunAsync(ProcessSpec.Of("passwd", "--status", admin.Username), cancellationToken))
            .StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (fields.Length > 1 && fields[1] == "P", fields.Length > 2 && fields[2] == Expired);
    }
}
