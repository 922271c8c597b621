using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Harness;

/// <summary>Every status line the installer's StatusReporter writes is recognised by the boot test's milestones: one contract, both ends.</summary>
public sealed class StatusLineRoundTripTests : IDisposable
{
    private const string Inventory = """
        all:
          children:
            infra: { hosts: { 10.10.10.10: { infra_seq: 1 } } }
            pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
          vars: { admin_ip: 10.10.10.10 }
        """;

    private readonly TempDirectory _root = new();
    private readonly List<string> _console = [];
    private readonly LocalFileSystem _files;
    private readonly StatusReporter _reporter;

    public StatusLineRoundTripTests()
    {
        _files = new LocalFileSystem(ProcessRunner.Silent, _root.Path);
        _reporter = new StatusReporter(_files, _console.Add, new SdNotify(null), TimeProvider.System);
    }

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_whole_install_is_followed_milestone_by_milestone()
    {
        var plan = Plan([.. InstallModules.Descriptors.Select(d => ModulePlan.Run(d.Name, [Step($"{d.Key}.a"), Step($"{d.Key}.b")]))]);

        await _reporter.BundleVerifyingAsync(NodeLayout.Repo, CancellationToken.None);
        await _reporter.BundleVerifiedAsync("9 files, 4 packages, 1 MiB verified against repo_complete in 0.1 s", CancellationToken.None);
        await _reporter.SeedValidAsync("volume PIGSTY (/dev/disk/by-label/PIGSTY)", 1, "10.10.10.10", CancellationToken.None);
        await _reporter.PlannedAsync(plan, CancellationToken.None);
        await ApplyAsync(plan);
        await _reporter.SucceededAsync("http://10.10.10.10/", CancellationToken.None);

        Assert.Equal(
            ["firstboot-start", "bundle-verified", "seed-valid", "planned", "node", "infra", "etcd", "minio", "pgsql", "done"],
            _console.Select(FirstBootMilestone.Of).OfType<string>());
        Assert.True(GuestChecks.InstallDone(_console[^1]).Passed, _console[^1]);
    }

    [Fact]
    public async Task A_skipped_module_and_its_reason_are_recognised()
    {
        var plan = Plan([ModulePlan.Run("NODE", [Step("node.a")]), ModulePlan.Skip("MINIO", "minio not in bundle")]);

        await _reporter.PlannedAsync(plan, CancellationToken.None);
        await ApplyAsync(plan);

        // The engine says what it skips before any step starts (steps of several modules may run side by side).
        Assert.Equal(["planned", "minio-skipped", "node"], _console.Select(FirstBootMilestone.Of).OfType<string>());
        Assert.Equal("minio not in bundle", MinioChecks.SkipReason(_console, "MINIO"));
        Assert.False(MinioChecks.Started(_console));
    }

    [Fact]
    public async Task A_failure_is_the_failed_milestone_with_the_precise_reason()
    {
        const string reason = "/run/pigsty/seed/pigsty.yml:4: all.children.pg-meta.hosts.10.10.10.10.pg_seq: expected an integer, got 'one'";

        await _reporter.FailedAsync(reason, CancellationToken.None);

        Assert.Equal("failed", FirstBootMilestone.Of(Assert.Single(_console)));
        Assert.True(GuestChecks.SeedErrorReported(_console[0], reason).Passed);
        Assert.False(GuestChecks.InstallDone(_console[0]).Passed);
    }

    [Fact]
    public async Task Step_lines_tell_applied_from_already_done_as_the_resume_run_counts_them()
    {
        var plan = Plan([ModulePlan.Run("INFRA", [Step("infra.a"), Step("infra.b", done: true)])]);

        await _reporter.PlannedAsync(plan, CancellationToken.None);
        await ApplyAsync(plan);

        var applied = Assert.Single(_console, l => FirstBootConsole.IsStepSettled(l, "INFRA", alreadyDone: false));
        var skipped = Assert.Single(_console, l => FirstBootConsole.IsStepSettled(l, module: null, alreadyDone: true));
        Assert.Contains("title infra.a", applied, StringComparison.Ordinal);
        Assert.Contains("title infra.b", skipped, StringComparison.Ordinal);
        Assert.DoesNotContain(_console, l => FirstBootConsole.IsStepSettled(l, "NODE", alreadyDone: false));
    }

    [Fact]
    public async Task The_timeline_has_every_settled_step_with_its_module_and_overlapping_spans()
    {
        var plan = Plan([ModulePlan.Run("NODE", [Step("node.a"), Step("node.b", done: true)]), ModulePlan.Run("ETCD", [Step("etcd.a")])]);

        await _reporter.PlannedAsync(plan, CancellationToken.None);
        await ApplyAsync(plan);
        var timeline = FirstBootTimeline.Of(_console.Select((l, i) => new ConsoleLine(TimeSpan.FromSeconds(100 + i), l)));

        Assert.Equal(["title etcd.a", "title node.a", "title node.b"], timeline.Steps.Select(s => s.Title).Order(StringComparer.Ordinal));
        Assert.All(timeline.Steps, s => Assert.True(s.Start <= s.End && s.End >= 100, $"{s.Title} {s.Start}-{s.End}"));
        Assert.True(Assert.Single(timeline.Steps, s => s.AlreadyDone).Title == "title node.b");
        var node = Assert.Single(timeline.Modules, m => m.Module == "NODE");
        Assert.Equal((2, 1), (node.Steps, node.Applied));
        Assert.Single(timeline.Modules, m => m.Module == "ETCD" && m.Steps == 1 && m.Applied == 1);
    }

    [Fact]
    public void Settled_lines_read_back_as_written()
    {
        var line = $"[  99.1] pigsty-firstboot[1]: {FirstBootConsole.Line(FirstBootConsole.StepSettled("PGSQL", "unit files patroni.service: x (one daemon-reload)", false, TimeSpan.FromSeconds(12.34)))}";

        Assert.Equal(new SettledStepLine("PGSQL", "unit files patroni.service: x (one daemon-reload)", false, 12.3), FirstBootConsole.SettledOf(line));
        Assert.Equal(("INFRA", 7), FirstBootConsole.ModuleStartedOf(FirstBootConsole.Line(FirstBootConsole.ModuleStarted("INFRA", 7))));
        Assert.Null(FirstBootConsole.SettledOf(FirstBootConsole.Line(FirstBootConsole.StepNote("PGSQL", "pgsql.packages", "packages: 1 already installed, 0 to install"))));
    }

    [Fact]
    public async Task A_package_install_cut_point_is_the_unpacking_note_of_any_module()
    {
        var plan = Plan([ModulePlan.Run("NODE", [Step("node.a"), new Step("node.packages", "install git",
            (_, _) => Task.FromResult(false),
            (c, t) => c.Trace.NoteAsync($"{FirstBootConsole.UnpackingNote} (5 newly installed)", t),
            (_, _) => Task.CompletedTask)])]);

        await _reporter.PlannedAsync(plan, CancellationToken.None);
        await ApplyAsync(plan);
        var point = PowerCutPoint.MidPackageInstall();

        var at = Assert.Single(_console, point.IsAt);
        Assert.EndsWith("NODE: node.packages: dpkg is unpacking (5 newly installed)", at, StringComparison.Ordinal);
    }

    [Fact]
    public void A_concurrent_phase_is_two_modules_each_with_work_done_and_to_go()
    {
        string[] lines =
        [
            FirstBootConsole.ModuleStarted("INFRA", 3),
            FirstBootConsole.StepSettled("INFRA", "a", false, TimeSpan.FromSeconds(1)),
            FirstBootConsole.ModuleStarted("ETCD", 2),
            FirstBootConsole.StepSettled("ETCD", "a", true, TimeSpan.FromSeconds(1)),
            FirstBootConsole.StepSettled("INFRA", "b", false, TimeSpan.FromSeconds(1)),
            FirstBootConsole.StepSettled("ETCD", "b", false, TimeSpan.FromSeconds(1)),
            FirstBootConsole.ModuleStarted("PGSQL", 4),
            FirstBootConsole.StepSettled("PGSQL", "a", false, TimeSpan.FromSeconds(1)),
        ];
        var point = PowerCutPoint.ConcurrentPhase();

        // ETCD's first step was already done (no work of this run yet), its second settles it: never two modules mid-way until
        // PGSQL applied a step while INFRA still has one to go.
        var first = lines.Select(FirstBootConsole.Line).Select((l, i) => (l, i)).First(x => point.IsAt(x.l)).i;

        Assert.Equal(7, first);
    }

    [Fact]
    public void Nothing_installed_means_every_package_step_found_its_packages()
    {
        string Note(string module, string step, int wanted, params string[] missing) =>
            "[  80.0] pigsty-firstboot[1]: " + FirstBootConsole.Line(FirstBootConsole.StepNote(module, step, CommonSteps.PackagesNote(wanted, missing)));

        var preinstalled = GuestChecks.NothingInstalled([Note("NODE", "node.packages", 3), Note("PGSQL", "pgsql.packages", 12)]);
        var installing = GuestChecks.NothingInstalled([Note("NODE", "node.packages", 8, "git", "htop"), Note("PGSQL", "pgsql.packages", 12)]);

        Assert.True(preinstalled.Passed, preinstalled.Detail);
        Assert.Equal("2 package steps, 15 packages already installed, 0 installed", preinstalled.Detail);
        Assert.False(installing.Passed);
        Assert.Equal("node.packages installed 2", installing.Detail);
        Assert.False(GuestChecks.NothingInstalled(["no notes at all"]).Passed);
    }

    [Fact]
    public void Every_milestone_has_a_status_line_that_starts_with_the_prefix()
    {
        Assert.All(FirstBootMilestone.Known, k => Assert.Equal(k.Name, FirstBootMilestone.Of($"[  12.3] pigsty-firstboot[1]: {FirstBootConsole.Prefix}{k.Start}")));
        Assert.Null(FirstBootMilestone.Of("NODE started without the prefix"));
    }

    private static Step Step(string id, bool done = false) => new(id, $"title {id}",
        (_, _) => Task.FromResult(done),
        (_, _) => Task.CompletedTask,
        (_, _) => Task.CompletedTask);

    private InstallPlan Plan(IReadOnlyList<ModulePlan> modules)
    {
        var inventory = InventoryLoader.Parse(Inventory, "pigsty.yml");
        var host = inventory.Hosts[0];
        var node = new NodeContext(inventory, host, new Credentials(_files, host.Vars), new RepoCatalog(new Dictionary<string, string>()));
        return new InstallPlan(node, modules);
    }

    private Task ApplyAsync(InstallPlan plan) =>
        new InstallEngine(new StepJournal(_files), _reporter, TimeProvider.System)
            .ApplyAsync(plan, new StepContext(plan.Node, new FilesOnlyMachine(_files), NullLogger.Instance), CancellationToken.None);

    /// <summary>The engine touches nothing but files here (the steps are inert); anything else would be a test bug.</summary>
    private sealed class FilesOnlyMachine(IFileSystem files) : IMachine
    {
        public IFileSystem Files => files;

        public IPackageManager Packages => throw new NotSupportedException();

        public IServiceManager Services => throw new NotSupportedException();

        public IHealthProbe Health => throw new NotSupportedException();

        public IProcessRunner Processes => throw new NotSupportedException();
    }
}
