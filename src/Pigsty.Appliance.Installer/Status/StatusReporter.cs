using System.Text.Json;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;

namespace Pigsty.Appliance.Installer.Status;

/// <summary>Turns install progress into status.json (atomic rewrite per event), console lines and sd_notify STATUS.</summary>
public sealed class StatusReporter(IFileSystem files, Action<string> console, SdNotify notify, TimeProvider time) : IInstallObserver
{
    /// <summary>How status files are written: indented, and readable by people (an error's quotes stay quotes, not \u0027).</summary>
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private readonly Dictionary<string, DateTimeOffset> _phases = [];
    private readonly List<MutableModule> _modules = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string _state = "running";
    private string _phase = "starting";
    private string? _node;
    private string? _hostname;
    private string? _seed;
    private string? _bundle;
    private string? _error;
    private string? _failedStep;
    private string? _portal;
    private string? _instanceId;
    private string? _seedWriteBack;

    /// <summary>The status as last written.</summary>
    public InstallStatus Current => Snapshot();

    /// <summary>First boot starts verifying the bundled repository.</summary>
    public Task BundleVerifyingAsync(string repo, CancellationToken cancellationToken) =>
        LockedAsync(() => PhaseAsync("bundle", FirstBootConsole.VerifyingBundle(repo), _phase == "starting", cancellationToken));

    /// <summary>The bundle verified; <paramref name="summary"/> (what was checked) goes to status.json too.</summary>
    public Task BundleVerifiedAsync(string summary, CancellationToken cancellationToken) =>
        LockedAsync(() =>
        {
            _bundle = summary;
            return PhaseAsync("bundle-ok", FirstBootConsole.BundleVerified(summary), _phase == "bundle", cancellationToken);
        });

    /// <summary>The seed was found: its NoCloud instance id, and why the result will not be written back to it (both null for most seeds).</summary>
    public Task SeedLocatedAsync(string? instanceId, string? writeBackSkipped, CancellationToken cancellationToken) =>
        LockedAsync(() =>
        {
            _instanceId = instanceId;
            _seedWriteBack = writeBackSkipped is null ? null : "skipped: " + writeBackSkipped;
            return WriteAsync(cancellationToken);
        });

    /// <summary>The seed was found and is valid.</summary>
    public Task SeedValidAsync(string description, int hosts, string adminIp, CancellationToken cancellationToken) =>
        LockedAsync(() =>
        {
            _seed = description;
            return PhaseAsync("seed", FirstBootConsole.SeedValid(description, hosts, adminIp), cancellationToken);
        });

    /// <summary>A re-run found every step done already.</summary>
    public Task UnchangedAsync(CancellationToken cancellationToken) => LockedAsync(() => PhaseAsync("unchanged", FirstBootConsole.Unchanged, cancellationToken));

    /// <summary>Records the plan: node identity and every module with its steps pending (and what each waits for).</summary>
    public Task PlannedAsync(InstallPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return LockedAsync(() =>
        {
            _node = plan.Node.Address.ToString();
            _hostname = plan.Node.Hostname;
            _modules.Clear();
            var after = plan.Graph.Nodes.ToDictionary(n => n.Step.Id, n => (IReadOnlyList<string>)[.. n.Before.Select(b => plan.Graph.Nodes[b].Step.Id)]);
            foreach (var module in plan.Modules)
            {
                _modules.Add(new MutableModule(module.Module, module.Skipped ? "skipped" : "pending", module.SkipReason, module.Notes,
                    module.Steps.Select(s => new StepStatus(s.Id, s.Title, "pending", 0, null) { After = after.GetValueOrDefault(s.Id, []) }).ToList()));
            }

            return PhaseAsync("plan", FirstBootConsole.Plan(plan.Modules.Count(m => !m.Skipped), plan.Modules.Sum(m => m.Steps.Count), _hostname, _node), cancellationToken);
        });
    }

    public Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken) =>
        LockedAsync(() => SayAsync(FirstBootConsole.ModuleSkipped(module, reason), cancellationToken));

    public Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return LockedAsync(() =>
        {
            var entry = Module(module);
            Update(entry, step.Id, s => s with { State = "running", Started = time.GetUtcNow() });
            notify.Status($"{module}: {step.Title}");
            if (entry.State != "pending")
            {
                return WriteAsync(cancellationToken);
            }

            entry.State = "running";
            entry.Started = time.GetUtcNow();
            _phases[module.ToLowerInvariant()] = entry.Started.Value;
            return SayAsync(FirstBootConsole.ModuleStarted(module, entry.Steps.Count), cancellationToken);
        });
    }

    public Task StepNoteAsync(string module, Step step, string note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        return LockedAsync(() =>
        {
            Update(Module(module), step.Id, s => s with { Notes = [.. s.Notes, note] });
            return SayAsync(FirstBootConsole.StepNote(module, step.Id, note), cancellationToken);
        });
    }

    public Task StepFinishedAsync(string module, Step step, StepRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(record);
        return LockedAsync(() =>
        {
            var entry = Module(module);
            var state = record.Outcome switch
            {
                StepOutcome.AlreadyDone => "done",
                StepOutcome.Applied => "applied",
                StepOutcome.Interrupted => "interrupted",
                _ => "failed",
            };
            Update(entry, step.Id, s => s with
            {
                State = state,
                Seconds = Math.Round(record.Seconds, 2),
                Error = record.Outcome == StepOutcome.Interrupted ? null : record.Error,
                Started = record.Started ?? s.Started,
                Finished = record.Finished,
                WaitedFor = record.WaitedFor,
                Waits = record.Waits,
                Notes = record.Notes,
            });
            var elapsed = TimeSpan.FromSeconds(record.Seconds);
            switch (record.Outcome)
            {
                case StepOutcome.Failed:
                    entry.State = "failed";
                    _state = "failed";
                    _failedStep ??= step.Id;
                    _error ??= record.Error;
                    return SayAsync(FirstBootConsole.StepFailed(module, step.Id, elapsed, record.Error), cancellationToken);
                case StepOutcome.Interrupted:
                    entry.State = entry.State == "failed" ? "failed" : "stopped";
                    return SayAsync(FirstBootConsole.StepInterrupted(module, step.Id, elapsed), cancellationToken);
            }

            if (entry.Steps.All(s => s.State is "done" or "applied"))
            {
                entry.State = "done";
                entry.Finished = record.Finished;
            }

            return SayAsync(FirstBootConsole.StepSettled(module, step.Title, record.Outcome == StepOutcome.AlreadyDone, elapsed), cancellationToken);
        });
    }

    /// <summary>Records a failure outside any step (seed, bundle, identity): the reason is the error's precise message.</summary>
    public Task FailedAsync(string reason, CancellationToken cancellationToken) =>
        LockedAsync(() =>
        {
            _state = "failed";
            _error = reason;
            notify.Status($"failed: {reason}");
            return PhaseAsync("failed", FirstBootConsole.Failed(reason), cancellationToken);
        });

    /// <summary>Records success, with the portal URL people should open.</summary>
    public Task SucceededAsync(string? portal, CancellationToken cancellationToken) =>
        LockedAsync(() =>
        {
            _state = "done";
            _portal = portal;
            return PhaseAsync("done", FirstBootConsole.Done(portal), cancellationToken);
        });

    /// <summary>Marks a named phase (bundle, seed, plan, done…) with the time it was reached, makes it the current one, and says so.</summary>
    private Task PhaseAsync(string phase, string message, CancellationToken cancellationToken) => PhaseAsync(phase, message, true, cancellationToken);

    /// <summary>
    /// Marks a phase and says so; it becomes the current one only when <paramref name="current"/>: the bundle's check runs beside the
    /// rest, so its phases do not replace a later one (the plan, a module) that was reached meanwhile.
    /// </summary>
    private Task PhaseAsync(string phase, string message, bool current, CancellationToken cancellationToken)
    {
        _phase = current ? phase : _phase;
        _phases[phase] = time.GetUtcNow();
        return SayAsync(message, cancellationToken);
    }

    private async Task SayAsync(string message, CancellationToken cancellationToken)
    {
        console(FirstBootConsole.Line(message));
        await WriteAsync(cancellationToken);
    }

    /// <summary>Steps report side by side: one event at a time changes the state, prints its line and rewrites the file.</summary>
    private async Task LockedAsync(Func<Task> update)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await update();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task WriteAsync(CancellationToken cancellationToken) =>
        files.WriteAsync(NodeLayout.StatusFile, JsonSerializer.Serialize(Snapshot(), Json) + "\n", FileSpec.Config, cancellationToken);

    private InstallStatus Snapshot() => new(
        _state, _phase, _node, _hostname, _seed, _bundle, _started, time.GetUtcNow(),
        _modules.Select(m => new ModuleStatus(m.Name, m.State, m.Reason, m.Notes, Seconds(m), m.Steps.ToList()) { Started = m.Started, Finished = m.Finished }).ToList(),
        _error, _failedStep, _portal, NodeLayout.CredentialsFile, new Dictionary<string, DateTimeOffset>(_phases))
    {
        InstanceId = _instanceId,
        SeedWriteBack = _seedWriteBack,
    };

    /// <summary>Wall time of a module so far: from its first step starting to its last settling (or to now while it runs).</summary>
    private double Seconds(MutableModule module) =>
        module.Started is { } started
            ? Math.Round(((module.Steps.Max(s => s.Finished) ?? time.GetUtcNow()) - started).TotalSeconds, 2)
            : 0;

    private MutableModule Module(string name) =>
        _modules.FirstOrDefault(m => m.Name == name) ?? throw new InvalidOperationException($"module {name} is not in the plan");

    private static void Update(MutableModule module, string id, Func<StepStatus, StepStatus> change)
    {
        var index = module.Steps.FindIndex(s => s.Id == id);
        module.Steps[index] = change(module.Steps[index]);
    }

    private sealed class MutableModule(string name, string state, string? reason, IReadOnlyList<string> notes, List<StepStatus> steps)
    {
        public string Name { get; } = name;

        public string State { get; set; } = state;

        public string? Reason { get; } = reason;

        public IReadOnlyList<string> Notes { get; } = notes;

        public List<StepStatus> Steps { get; } = steps;

        public DateTimeOffset? Started { get; set; }

        public DateTimeOffset? Finished { get; set; }
    }
}
