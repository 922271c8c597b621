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
    private string _state = "running";
    private string _phase = "starting";
    private string? _node;
    private string? _hostname;
    private string? _seed;
    private string? _bundle;
    private string? _error;
    private string? _failedStep;
    private string? _portal;

    /// <summary>The status as last written.</summary>
    public InstallStatus Current => Snapshot();

    /// <summary>First boot starts verifying the bundled repository.</summary>
    public Task BundleVerifyingAsync(string repo, CancellationToken cancellationToken) =>
        PhaseAsync("bundle", FirstBootConsole.VerifyingBundle(repo), cancellationToken);

    /// <summary>The bundle verified; <paramref name="summary"/> (what was checked) goes to status.json too.</summary>
    public Task BundleVerifiedAsync(string summary, CancellationToken cancellationToken)
    {
        _bundle = summary;
        return PhaseAsync("bundle-ok", FirstBootConsole.BundleVerified(summary), cancellationToken);
    }

    /// <summary>The seed was found and is valid.</summary>
    public Task SeedValidAsync(string description, int hosts, string adminIp, CancellationToken cancellationToken)
    {
        _seed = description;
        return PhaseAsync("seed", FirstBootConsole.SeedValid(description, hosts, adminIp), cancellationToken);
    }

    /// <summary>A re-run found every step done already.</summary>
    public Task UnchangedAsync(CancellationToken cancellationToken) => PhaseAsync("unchanged", FirstBootConsole.Unchanged, cancellationToken);

    /// <summary>Records the plan: node identity and every module with its steps pending.</summary>
    public Task PlannedAsync(InstallPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        _node = plan.Node.Address.ToString();
        _hostname = plan.Node.Hostname;
        _modules.Clear();
        foreach (var module in plan.Modules)
        {
            _modules.Add(new MutableModule(module.Module, module.Skipped ? "skipped" : "pending", module.SkipReason, module.Notes,
                module.Steps.Select(s => new StepStatus(s.Id, s.Title, "pending", 0, null)).ToList()));
        }

        return PhaseAsync("plan", FirstBootConsole.Plan(plan.Modules.Count(m => !m.Skipped), plan.Modules.Sum(m => m.Steps.Count), _hostname, _node), cancellationToken);
    }

    public Task ModuleSkippedAsync(string module, string reason, CancellationToken cancellationToken) =>
        SayAsync(FirstBootConsole.ModuleSkipped(module, reason), cancellationToken);

    public Task StepStartedAsync(string module, Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var entry = Module(module);
        Update(entry, step.Id, s => s with { State = "running" });
        notify.Status($"{module}: {step.Title}");
        if (entry.State != "pending")
        {
            return WriteAsync(cancellationToken);
        }

        entry.State = "running";
        _phases[module.ToLowerInvariant()] = time.GetUtcNow();
        return SayAsync(FirstBootConsole.ModuleStarted(module, entry.Steps.Count), cancellationToken);
    }

    public Task StepFinishedAsync(string module, Step step, StepOutcome outcome, TimeSpan elapsed, string? error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var entry = Module(module);
        var state = outcome switch { StepOutcome.AlreadyDone => "done", StepOutcome.Applied => "applied", _ => "failed" };
        Update(entry, step.Id, s => s with { State = state, Seconds = Math.Round(elapsed.TotalSeconds, 2), Error = error });
        if (outcome == StepOutcome.Failed)
        {
            entry.State = "failed";
            _state = "failed";
            _failedStep = step.Id;
            _error = error;
            return SayAsync(FirstBootConsole.StepFailed(module, step.Id, elapsed, error), cancellationToken);
        }

        if (entry.Steps.All(s => s.State is "done" or "applied"))
        {
            entry.State = "done";
        }

        return SayAsync(FirstBootConsole.StepSettled(module, step.Title, outcome == StepOutcome.AlreadyDone, elapsed), cancellationToken);
    }

    /// <summary>Records a failure outside any step (seed, bundle, identity): the reason is the error's precise message.</summary>
    public Task FailedAsync(string reason, CancellationToken cancellationToken)
    {
        _state = "failed";
        _error = reason;
        notify.Status($"failed: {reason}");
        return PhaseAsync("failed", FirstBootConsole.Failed(reason), cancellationToken);
    }

    /// <summary>Records success, with the portal URL people should open.</summary>
    public Task SucceededAsync(string? portal, CancellationToken cancellationToken)
    {
        _state = "done";
        _portal = portal;
        return PhaseAsync("done", FirstBootConsole.Done(portal), cancellationToken);
    }

    /// <summary>Marks a named phase (bundle, seed, plan, done…) with the time it was reached, and says so.</summary>
    private Task PhaseAsync(string phase, string message, CancellationToken cancellationToken)
    {
        _phase = phase;
        _phases[phase] = time.GetUtcNow();
        return SayAsync(message, cancellationToken);
    }

    private async Task SayAsync(string message, CancellationToken cancellationToken)
    {
        console(FirstBootConsole.Line(message));
        await WriteAsync(cancellationToken);
    }

    private Task WriteAsync(CancellationToken cancellationToken) =>
        files.WriteAsync(NodeLayout.StatusFile, JsonSerializer.Serialize(Snapshot(), Json) + "\n", FileSpec.Config, cancellationToken);

    private InstallStatus Snapshot() => new(
        _state, _phase, _node, _hostname, _seed, _bundle, _started, time.GetUtcNow(),
        _modules.Select(m => new ModuleStatus(m.Name, m.State, m.Reason, m.Notes, Math.Round(m.Steps.Sum(s => s.Seconds), 2), m.Steps.ToList())).ToList(),
        _error, _failedStep, _portal, NodeLayout.CredentialsFile, new Dictionary<string, DateTimeOffset>(_phases));

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
    }
}
