using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Node;
using Pigsty.Appliance.Installer.Status;
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

        Assert.Equal(["planned", "node", "minio-skipped"], _console.Select(FirstBootMilestone.Of).OfType<string>());
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
