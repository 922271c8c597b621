using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Steps;

/// <summary>Crontab entries as systemd timers, <c>&lt;prefix&gt;-&lt;n&gt;.timer</c>; with <c>overwrite</c>, timers of entries no longer listed go.</summary>
public static class CronSteps
{
    private const string UnitDirectory = "/etc/systemd/system";
    private const string TimersWants = UnitDirectory + "/timers.target.wants";

    public static Step Timers(string id, string prefix, IReadOnlyList<CronEntry> entries, bool overwrite)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var units = entries.Select((e, i) => e.Units(prefix, i + 1)).ToList();
        var files = units.SelectMany(u => new[] { u.Service.File(), u.Timer.File() }).ToList();
        var names = units.SelectMany(u => new[] { u.Service.Name, u.Timer.Name }).ToHashSet(StringComparer.Ordinal);
        List<string> Stale(StepContext c) => overwrite
            ? c.Machine.Files.ListFiles(UnitDirectory).Select(Path.GetFileName).OfType<string>()
                .Where(f => f.StartsWith(prefix + "-", StringComparison.Ordinal) && !names.Contains(f)).ToList()
            : [];
        return new Step(
            id,
            entries.Count == 0 ? $"no crontab timers ({prefix}-*)" : $"{entries.Count} crontab timer(s): {string.Join("; ", entries.Select(e => e.Line))}",
            async (c, t) =>
            {
                if (Stale(c).Count > 0 || !await CommonSteps.AllCurrentAsync(c, files, t))
                {
                    return false;
                }

                foreach (var (_, timer) in units)
                {
                    if (!await c.Machine.Services.IsEnabledAsync(timer.Name, t) || !await c.Machine.Services.IsActiveAsync(timer.Name, t))
                    {
                        return false;
                    }
                }

                return true;
            },
            async (c, t) =>
            {
                foreach (var stale in Stale(c))
                {
                    if (stale.EndsWith(".timer", StringComparison.Ordinal))
                    {
                        await c.Machine.Services.StopAsync(stale, t);
                    }

                    await c.Machine.Files.DeleteAsync($"{TimersWants}/{stale}", t);
                    await c.Machine.Files.DeleteAsync($"{UnitDirectory}/{stale}", t);
                }

                foreach (var file in files)
                {
                    await file.WriteAsync(c, t);
                }

                await c.Machine.Services.DaemonReloadAsync(t);
                foreach (var (_, timer) in units)
                {
                    await c.Machine.Services.EnableAsync(timer.Name, t);
                    if (!await c.Machine.Services.IsActiveAsync(timer.Name, t))
                    {
                        await c.Machine.Services.StartAsync(timer.Name, t);
                    }
                }
            },
            (_, _) => Task.CompletedTask);
    }
}
