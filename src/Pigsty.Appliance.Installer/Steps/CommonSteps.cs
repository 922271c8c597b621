using System.Net;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>The step shapes every module uses: install packages, own files, run a service from our own unit.</summary>
public static class CommonSteps
{
    /// <summary>
    /// How long a service may take to answer its health check after a (re)start. A healthy service answers at once; the deadline only
    /// decides how long a broken one takes to be reported. 60 s was too short for node_exporter on the infra node of three VMs sharing
    /// two emulated cores, while Patroni bootstrapped beside it, and for pgbouncer_exporter (Python) on a replica there; PGSQL's own
    /// waits use it too.
    /// </summary>
    public static readonly TimeSpan HealthDeadline = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Installs what of <paramref name="packages"/> is missing from the local repository (services do not start on their own). An image
    /// that carries them already makes this a check that says so, and one that waits for nothing: only a step with packages to install
    /// (at plan time, <see cref="NodeContext.Installed"/>) waits for the package source, whose <c>apt-get update</c> held every module's
    /// chain back ~10 s under TCG. Before installing it finishes a dpkg run a power cut interrupted, and after it masks the packages'
    /// own units, as the image does: a service starts only once its module's step configured it.
    /// </summary>
    public static Step Packages(string id, IReadOnlyList<string> packages, NodeContext node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var step = Packages(id, packages).Giving(Outputs.Packages);
        return packages.All(node.Installed.Contains) ? step : step.Needing(Outputs.PackageSource);
    }

    private static Step Packages(string id, IReadOnlyList<string> packages) => new Step(
        id,
        $"install {string.Join(", ", packages)}",
        async (c, t) =>
        {
            var missing = await c.Machine.Packages.MissingAsync(packages, t);
            if (missing.Count == 0)
            {
                await c.Trace.NoteAsync(PackagesNote(packages.Count, missing), t);
            }

            return missing.Count == 0;
        },
        async (c, t) =>
        {
            if (await c.Machine.Packages.RepairAsync(t) is { } repaired)
            {
                await c.Trace.NoteAsync(repaired, t);
            }

            var missing = await c.Machine.Packages.MissingAsync(packages, t);
            await c.Trace.NoteAsync(PackagesNote(packages.Count, missing), t);
            if (missing.Count > 0)
            {
                await c.Machine.Packages.InstallAsync(missing, note => c.Trace.NoteAsync(note, t), t);
            }

            await MaskPackageUnitsAsync(c, packages, t);
        },
        async (c, t) =>
        {
            var missing = await c.Machine.Packages.MissingAsync(packages, t);
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"still not installed after apt-get: {string.Join(", ", missing)}");
            }
        });

    /// <summary>How a package step reports what it found: e.g. <c>packages: 7 already installed, 0 to install</c>.</summary>
    public static string PackagesNote(int wanted, IReadOnlyList<string> missing)
    {
        ArgumentNullException.ThrowIfNull(missing);
        return $"packages: {wanted - missing.Count} already installed, {missing.Count} to install"
            + (missing.Count > 0 ? $" ({string.Join(", ", missing)})" : "");
    }

    /// <summary>
    /// Masks the units the packages ship (a fresh install enables them), unless a unit of ours already took the name or a mask is
    /// there: the state an image with the packages preinstalled starts from, so both converge the same way.
    /// </summary>
    private static async Task MaskPackageUnitsAsync(StepContext context, IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var units = new List<string>();
        foreach (var unit in await context.Machine.Packages.UnitsOfAsync(packages, cancellationToken))
        {
            // null: no override; "": the /dev/null link of a mask; our header: a unit of ours, which a module's step runs.
            var overriding = await context.Machine.Files.ReadAsync($"{SystemdUnit.Directory}/{unit}", cancellationToken);
            if (overriding is null)
            {
                units.Add(unit);
            }
        }

        await context.Machine.Services.MaskAsync(units, cancellationToken);
    }

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
    /// Unit files among <paramref name="files"/> become the step's <see cref="Step.Units"/>: the module's <see cref="Units"/> step
    /// writes them ahead with one daemon-reload for all; a unit file still out of date here is written and reloaded by this step.
    /// No service starts before every package step of the node's plan settled (<see cref="Outputs.Packages"/>): in push mode a
    /// module's dpkg run beside a running etcd and Patroni starved them on one core until the primary demoted itself.
    /// </summary>
    public static Step Service(string id, string title, string unit, IReadOnlyList<ManagedFile> files,
        Func<StepContext, CancellationToken, Task> health, bool reload = false)
    {
        ArgumentNullException.ThrowIfNull(files);
        var marker = MarkerOf(id, "restart-pending");
        var unitChanged = UnitChangedMarkerOf(id);
        var units = files.Where(f => f.Path.StartsWith(SystemdUnit.Directory + "/", StringComparison.Ordinal)).ToList();
        return new Step(
            id,
            title,
            async (c, t) => !c.Machine.Files.Exists(marker)
                && !c.Machine.Files.Exists(unitChanged)
                && await AllCurrentAsync(c, files, t)
                && await c.Machine.Services.IsEnabledAsync(unit, t)
                && await c.Machine.Services.IsActiveAsync(unit, t),
            async (c, t) =>
            {
                // Our own marker: an earlier run may have written unit files and lost power before reloading. The units step's
                // marker: it wrote (and reloaded) a new unit, which the service has not been restarted with yet.
                var pending = c.Machine.Files.Exists(marker);
                var reloadUnits = units.Count > 0 && (pending || !await AllCurrentAsync(c, units, t));
                var changed = await WriteWithMarkerAsync(c, marker, unit, files, t) || pending || c.Machine.Files.Exists(unitChanged);
                if (reloadUnits)
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

                await c.Machine.Files.DeleteAsync(unitChanged, t);
                await c.Machine.Files.DeleteAsync(marker, t);
            },
            health)
        {
            Units = units,
        }.Needing(Outputs.Packages);
    }

    /// <summary>
    /// A module's unit files, written in one go before its services start, with one daemon-reload for all (not one per service).
    /// Writing our unit replaces the mask the image (or the package step) put on the package's unit of the same name. A service
    /// whose unit changed gets its restart marker first, so it (re)starts even when power is lost right after the write; a marker of
    /// this step remembers the reload.
    /// </summary>
    public static Step Units(string id, IReadOnlyList<Step> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var units = services.SelectMany(s => s.Units.Select(u => (Service: s.Id, File: u))).ToList();
        var marker = MarkerOf(id, "reload-pending");
        return new Step(
            id,
            $"unit files {string.Join(", ", units.Select(u => Path.GetFileName(u.File.Path)))} (one daemon-reload)",
            async (c, t) => !c.Machine.Files.Exists(marker) && await AllCurrentAsync(c, units.Select(u => u.File).ToList(), t),
            async (c, t) =>
            {
                await c.Machine.Files.WriteAsync(marker, id + "\n", FileSpec.Config, t);
                foreach (var (service, file) in units)
                {
                    if (!await file.IsCurrentAsync(c, t))
                    {
                        await c.Machine.Files.WriteAsync(UnitChangedMarkerOf(service), Path.GetFileName(file.Path) + "\n", FileSpec.Config, t);
                        await file.WriteAsync(c, t);
                    }
                }

                await c.Machine.Services.DaemonReloadAsync(t);
                await c.Machine.Files.DeleteAsync(marker, t);
            },
            (_, _) => Task.CompletedTask);
    }

    /// <summary>
    /// The <see cref="Units"/> step of <paramref name="services"/> (after <paramref name="after"/>, typically the module's packages),
    /// then the services, each after it.
    /// </summary>
    public static IEnumerable<Step> WithUnits(string id, IReadOnlyList<Step> services, params IEnumerable<string> after)
    {
        yield return Units(id, services).After(after);
        foreach (var service in services)
        {
            yield return service.After(id);
        }
    }

    /// <summary>
    /// <see cref="Service"/> for a daemon of ours that speaks HTTP: its unit file joins <paramref name="files"/>, and it is healthy
    /// when <paramref name="port"/> accepts connections (a fast, clear first error) and then <paramref name="healthPath"/> answers 2xx.
    /// <paramref name="host"/> is where the daemon listens: loopback unless it serves other nodes (exporters: the node's address).
    /// </summary>
    public static Step HttpService(string id, string title, SystemdUnit unit, int port, string healthPath,
        IReadOnlyList<ManagedFile> files, bool reload = false, IPAddress? host = null, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(unit);
        return Service(id, title, unit.Name, [.. files, unit.File()], (c, t) => HttpHealthyAsync(c, unit.Name, port, healthPath, host, t, deadline), reload);
    }

    /// <summary>
    /// Waits for a port on <paramref name="host"/> (loopback by default), then for an HTTP path on it to answer 2xx, each within
    /// <paramref name="deadline"/> (<see cref="HealthDeadline"/> unless the service needs longer to start listening).
    /// </summary>
    public static async Task HttpHealthyAsync(StepContext context, string unit, int port, string path, IPAddress? host,
        CancellationToken cancellationToken, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = host ?? IPAddress.Loopback;
        var wait = deadline ?? HealthDeadline;
        await context.Machine.Health.WaitForPortAsync(unit, address.ToString(), port, wait, cancellationToken);
        await context.Machine.Health.WaitForHttpAsync(unit, new Uri($"http://{HostAddress.ForUri(address)}:{port}{path}"), wait, cancellationToken);
    }

    /// <summary>Stops, disables and masks a distribution unit we replace or do not want (e.g. Debian's default etcd).</summary>
    public static Step Mask(string id, string unit) => new(
        id,
        $"mask {unit}",
        (c, t) => c.Machine.Services.IsMaskedAsync(unit, t),
        (c, t) => c.Machine.Services.MaskAsync(unit, t),
        (_, _) => Task.CompletedTask);

    private static string MarkerOf(string id, string what) => $"{NodeLayout.StepJournal}/{id}.{what}";

    private static string UnitChangedMarkerOf(string id) => MarkerOf(id, "unit-changed");

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
