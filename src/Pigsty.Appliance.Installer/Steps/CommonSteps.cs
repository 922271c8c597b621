using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>The step shapes every module uses: install packages, own files, run a service from our own unit.</summary>
public static class CommonSteps
{
    /// <summary>How long a service may take to answer its health check after a (re)start.</summary>
    public static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Installs packages from the local repository (services do not start on their own).</summary>
    public static Step Packages(string id, IReadOnlyList<string> packages) => new(
        id,
        $"install {string.Join(", ", packages)}",
        async (c, t) => (await c.Machine.Packages.MissingAsync(packages, t)).Count == 0,
        (c, t) => c.Machine.Packages.InstallAsync(packages, t),
        async (c, t) =>
        {
            var missing = await c.Machine.Packages.MissingAsync(packages, t);
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"still not installed after apt-get: {string.Join(", ", missing)}");
            }
        });

    /// <summary>Writes files (and directories) that no service needs restarting for.</summary>
    public static Step Files(string id, string title, IReadOnlyList<ManagedFile> files, IReadOnlyList<(string Path, FileSpec Spec)>? directories = null) => new(
        id,
        title,
        async (c, t) => await AllCurrentAsync(c, files, t) && (directories ?? []).All(d => c.Machine.Files.Exists(d.Path)),
        async (c, t) =>
        {
            foreach (var (path, spec) in directories ?? [])
            {
                await c.Machine.Files.EnsureDirectoryAsync(path, spec, t);
            }

            foreach (var file in files)
            {
                await file.WriteAsync(c, t);
            }
        },
        (_, _) => Task.CompletedTask);

    /// <summary>
    /// Writes <paramref name="files"/> and, when any changed (or <paramref name="inEffect"/> says the running system does not
    /// reflect them yet), runs <paramref name="activate"/>: <c>apt-get update</c> after a source changed, <c>sysctl -p</c>, a restart.
    /// A marker in the state directory remembers a pending activation, so a power loss between writing and activating still
    /// activates on the next run.
    /// </summary>
    public static Step Configure(string id, string title, IReadOnlyList<ManagedFile> files,
        Func<StepContext, CancellationToken, Task> activate,
        Func<StepContext, CancellationToken, Task>? verify = null,
        Func<StepContext, CancellationToken, Task<bool>>? inEffect = null)
    {
        var marker = MarkerOf(id, "pending");
        return new Step(
            id,
            title,
            async (c, t) => !c.Machine.Files.Exists(marker)
                && await AllCurrentAsync(c, files, t)
                && (inEffect is null || await inEffect(c, t)),
            async (c, t) =>
            {
                var pending = c.Machine.Files.Exists(marker) || (inEffect is not null && !await inEffect(c, t));
                var changed = await WriteWithMarkerAsync(c, marker, id, files, t);
                if (changed || pending)
                {
                    await activate(c, t);
                }

                await c.Machine.Files.DeleteAsync(marker, t);
            },
            verify ?? ((_, _) => Task.CompletedTask));
    }

    /// <summary>
    /// Runs <paramref name="unit"/> with <paramref name="files"/> as its configuration: writes them, enables the unit and
    /// (re)starts it when anything changed, then waits for <paramref name="health"/>. A marker in the state directory
    /// remembers a pending restart, so a power loss between writing and restarting still restarts on the next run.
    /// </summary>
    public static Step Service(string id, string title, string unit, IReadOnlyList<ManagedFile> files,
        Func<StepContext, CancellationToken, Task> health, bool reload = false)
    {
        var marker = MarkerOf(id, "restart-pending");
        return new Step(
            id,
            title,
            async (c, t) => !c.Machine.Files.Exists(marker)
                && await AllCurrentAsync(c, files, t)
                && await c.Machine.Services.IsEnabledAsync(unit, t)
                && await c.Machine.Services.IsActiveAsync(unit, t),
            async (c, t) =>
            {
                var pending = c.Machine.Files.Exists(marker);
                var changed = await WriteWithMarkerAsync(c, marker, unit, files, t) || pending;
                if (files.Any(f => f.Path.StartsWith("/etc/systemd/system/", StringComparison.Ordinal)))
                {
                    await c.Machine.Services.DaemonReloadAsync(t);
                }

                await c.Machine.Services.EnableAsync(unit, t);
                if (!await c.Machine.Services.IsActiveAsync(unit, t))
                {
                    await c.Machine.Services.StartAsync(unit, t);
                }
                else if (changed)
                {
                    await (reload ? c.Machine.Services.ReloadAsync(unit, t) : c.Machine.Services.RestartAsync(unit, t));
                }

                await c.Machine.Files.DeleteAsync(marker, t);
            },
            health);
    }

    /// <summary>
    /// <see cref="Service"/> for a daemon of ours that speaks HTTP: its unit file joins <paramref name="files"/>, and it is healthy
    /// when <paramref name="port"/> accepts connections (a fast, clear first error) and then <paramref name="healthPath"/> answers 2xx.
    /// <paramref name="host"/> is where the daemon listens: loopback unless it serves other nodes (exporters: the node's address).
    /// </summary>
    public static Step HttpService(string id, string title, SystemdUnit unit, int port, string healthPath,
        IReadOnlyList<ManagedFile> files, bool reload = false, IPAddress? host = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return Service(id, title, unit.Name, [.. files, unit.File()], (c, t) => HttpHealthyAsync(c, unit.Name, port, healthPath, host, t), reload);
    }

    /// <summary>
    /// Waits for a port on <paramref name="host"/> (loopback by default), then for an HTTP path on it to answer 2xx, each within
    /// <see cref="HealthDeadline"/>.
    /// </summary>
    public static async Task HttpHealthyAsync(StepContext context, string unit, int port, string path, IPAddress? host,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = host ?? IPAddress.Loopback;
        await context.Machine.Health.WaitForPortAsync(unit, address.ToString(), port, HealthDeadline, cancellationToken);
        await context.Machine.Health.WaitForHttpAsync(unit, new Uri($"http://{HostAddress.ForUri(address)}:{port}{path}"), HealthDeadline, cancellationToken);
    }

    /// <summary>Stops, disables and masks a distribution unit we replace or do not want (e.g. Debian's default etcd).</summary>
    public static Step Mask(string id, string unit) => new(
        id,
        $"mask {unit}",
        (c, t) => c.Machine.Services.IsMaskedAsync(unit, t),
        (c, t) => c.Machine.Services.MaskAsync(unit, t),
        (_, _) => Task.CompletedTask);

    private static string MarkerOf(string id, string what) => $"{NodeLayout.StepJournal}/{id}.{what}";

    /// <summary>Leaves the marker first, then writes the files; true when any file changed.</summary>
    private static async Task<bool> WriteWithMarkerAsync(StepContext context, string marker, string label, IReadOnlyList<ManagedFile> files,
        CancellationToken cancellationToken)
    {
        await context.Machine.Files.WriteAsync(marker, label + "\n", FileSpec.Config, cancellationToken);
        var changed = false;
        foreach (var file in files)
        {
            changed |= await file.WriteAsync(context, cancellationToken);
        }

        return changed;
    }

    internal static async Task<bool> AllCurrentAsync(StepContext context, IReadOnlyList<ManagedFile> files, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            if (!await file.IsCurrentAsync(context, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }
}
