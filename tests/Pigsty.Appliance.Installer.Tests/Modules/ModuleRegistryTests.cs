using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Installer.Modules.Infra.Renderers;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>The registry against what derives from it inside the installer: scrape config, rule files, console lines, inventory groups.</summary>
public sealed partial class ModuleRegistryTests : IDisposable
{
    private static readonly IReadOnlyList<ModuleDescriptor> Modules = InstallModules.Descriptors;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Registrations_are_in_pigstys_order_and_make_the_modules_they_describe()
    {
        var made = InstallModules.All(TimeProvider.System);

        // Pigsty's order among its own modules; a module added later may go anywhere that suits it.
        string[] pigsty = ["NODE", "INFRA", "ETCD", "MINIO", "PGSQL"];
        Assert.Equal(pigsty, Modules.Select(d => d.Name).Where(pigsty.Contains));
        Assert.Equal(Modules.Select(d => d.Name), made.Select(m => m.Name));
        Assert.Equal(Modules.Count, Modules.Select(d => d.Key).Distinct().Count());
    }

    [Fact]
    public void Scrape_config_has_exactly_the_registered_jobs_and_infra_makes_their_directories()
    {
        var jobs = Modules.SelectMany(d => d.ScrapeJobs).Select(j => j.Name).ToList();
        var settings = InfraSettings.From(TestNode.Create(_temp.Path));

        var rendered = JobName().Matches(ScrapeConfig.Render(settings, Modules)).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(jobs.Distinct().Count(), jobs.Count);
        Assert.Equal(jobs.Order(StringComparer.Ordinal), rendered.Order(StringComparer.Ordinal));
        Assert.Equal(jobs.Select(j => $"/etc/pigsty/targets/{j}"), ScrapeConfig.TargetDirectories(Modules));
    }

    [Fact]
    public void Every_embedded_rule_file_is_declared_by_one_module_and_equals_its_source()
    {
        var declared = Modules.SelectMany(d => d.AlertRules).ToList();

        Assert.Equal(AlertRuleFile.Embedded, declared.Select(r => r.Resource).Order(StringComparer.Ordinal));
        Assert.Equal(declared.Count, declared.Select(r => r.FileName).Distinct().Count());
        foreach (var rules in declared)
        {
            // The source tree's file, copied beside the tests: the node gets it byte for byte (no BOM, no \r).
            var source = File.ReadAllBytes(TestData.Path("RuleSources", rules.Resource[AlertRuleFile.RulesPrefix.Length..]));
            Assert.Equal(source, System.Text.Encoding.UTF8.GetBytes(rules.Text));
            Assert.DoesNotContain((byte)'\r', source);
        }
    }

    [Fact]
    public void Rules_only_select_registered_jobs()
    {
        var jobs = Modules.SelectMany(d => d.ScrapeJobs).Select(j => j.Name).ToHashSet(StringComparer.Ordinal);

        var used = Modules.SelectMany(d => d.AlertRules).SelectMany(r => JobMatcher().Matches(r.Text).Select(m => (r.FileName, Jobs: m.Groups[1].Value)))
            .SelectMany(m => m.Jobs.Split('|').Select(j => (m.FileName, Job: j))).ToList();

        Assert.NotEmpty(used);
        Assert.All(used, u => Assert.True(jobs.Contains(u.Job), $"{u.FileName} selects job '{u.Job}', which no module registers"));
    }

    [Fact]
    public async Task Vmalert_loads_every_registered_rule_file_and_its_templates()
    {
        // One file per run: vmalert does not say which files a glob matched, and a file that parses to nothing must fail too.
        foreach (var rules in Modules.SelectMany(d => d.AlertRules))
        {
            await RealTool.CheckAsync("vmalert", "-dryRun", $"-rule={_temp.Write($"rules/{rules.FileName}", rules.Text)}");
        }
    }

    [Fact]
    public async Task Every_milestone_is_a_line_first_boot_prints()
    {
        var lines = new List<string>();
        foreach (var skipped in new[] { false, true })
        {
            var machine = new FakeMachine(_temp.File(skipped ? "skipped" : "started"));
            var node = TestNode.Create(_temp.File(skipped ? "skipped" : "started"));
            var reporter = new StatusReporter(machine.Files, lines.Add, new SdNotify(null), TimeProvider.System);
            var plan = new InstallPlan(node, Modules.Select(d => skipped
                ? ModulePlan.Skip(d.Name, "not on this node")
                : ModulePlan.Run(d.Name, [new Step($"{d.Key}.only", "one step", (_, _) => Task.FromResult(true), (_, _) => Task.CompletedTask, (_, _) => Task.CompletedTask)]))
                .ToList());
            await reporter.PlannedAsync(plan, CancellationToken.None);
            await new InstallEngine(new StepJournal(machine.Files), reporter, TimeProvider.System)
                .ApplyAsync(plan, new StepContext(node, machine, NullLogger.Instance), CancellationToken.None);
        }

        Assert.Equal(Modules.SelectMany(d => d.Milestones), InstallModules.Milestones);
        Assert.Equal(InstallModules.Milestones.Count, InstallModules.Milestones.Select(m => m.Name).Distinct().Count());
        foreach (var milestone in InstallModules.Milestones)
        {
            Assert.Single(lines, l => l.StartsWith($"pigsty: {milestone.Start}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Every_module_group_reads_an_inventory_with_all_of_them()
    {
        var inventory = InventoryLoader.Parse(ModuleNodes.Sample("single-node.yml"), "single-node.yml");

        var members = Modules.ToDictionary(d => d.Key, d => d.Group.Clusters(inventory).SelectMany(c => c.Members).Select(m => m.Address.ToString()).ToList());

        Assert.All(members, m => Assert.Equal(["10.10.10.10"], m.Value));
    }

    [GeneratedRegex(@"^  - job_name: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex JobName();

    /// <summary><c>job="x"</c> or <c>job=~"x|y"</c>: the jobs a rule selects (negative matchers select none).</summary>
    [GeneratedRegex("\\bjob=~?\"([^\"]+)\"")]
    private static partial Regex JobMatcher();
}
