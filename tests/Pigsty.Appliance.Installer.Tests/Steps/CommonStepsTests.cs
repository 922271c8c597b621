using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Shared;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Steps;

public sealed class CommonStepsTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeMachine _machine;
    private readonly StepContext _context;
    private string _config = "listen 80;\n";

    public CommonStepsTests()
    {
        _machine = new FakeMachine(_root.Path, "nginx");
        _context = new StepContext(TestNode.Create(_root.Path), _machine, NullLogger.Instance);
    }

    public void Dispose() => _root.Dispose();

    private Step Nginx() => CommonSteps.Service("infra.nginx", "nginx", "nginx.service", [
        ManagedFile.Of("/etc/nginx/nginx.conf", _ => _config, FileSpec.Config),
        ManagedFile.Of("/etc/systemd/system/nginx.service", _ => "[Service]\n", FileSpec.Config),
    ], (c, t) => c.Machine.Health.WaitForPortAsync("nginx.service", "127.0.0.1", 80, TimeSpan.FromSeconds(5), t));

    private Task Run(Step step) => StepRunner.RunAsync(step, _context);

    [Fact]
    public async Task Service_writes_config_enables_starts_and_probes()
    {
        await Run(Nginx());

        Assert.Equal("listen 80;\n", await File.ReadAllTextAsync(Path.Join(_root.Path, "/etc/nginx/nginx.conf")));
        Assert.Equal(["daemon-reload", "enable nginx.service", "start nginx.service"], _machine.FakeServices.Calls);
        Assert.Equal(["nginx.service 127.0.0.1:80"], _machine.Probes);
        Assert.True(await Nginx().IsDone(_context, CancellationToken.None));
    }

    [Fact]
    public async Task Changed_config_restarts_a_running_service()
    {
        await Run(Nginx());
        _machine.FakeServices.Calls.Clear();
        _config = "listen 8080;\n";

        Assert.False(await Nginx().IsDone(_context, CancellationToken.None));
        await Run(Nginx());

        // The unit file did not change: no daemon-reload.
        Assert.Equal(["enable nginx.service", "restart nginx.service"], _machine.FakeServices.Calls);
    }

    [Fact]
    public async Task A_restart_lost_to_a_crash_happens_on_the_next_run()
    {
        await Run(Nginx());
        _config = "listen 8080;\n";
        _machine.FakeServices.FailOn = "nginx.service";

        Assert.IsType<IOException>((await Assert.ThrowsAsync<InstallException>(() => Run(Nginx()))).InnerException);
        _machine.FakeServices.FailOn = null;
        _machine.FakeServices.Calls.Clear();

        // Files already match, the unit is active: only the pending-restart marker says work is left.
        Assert.False(await Nginx().IsDone(_context, CancellationToken.None));
        await Run(Nginx());
        Assert.Contains("restart nginx.service", _machine.FakeServices.Calls);
        Assert.True(await Nginx().IsDone(_context, CancellationToken.None));
    }

    [Fact]
    public async Task A_units_step_writes_every_unit_with_one_reload_and_each_service_restarts_for_its_own()
    {
        var unit = "[Service]\n";
        Step Service(string name) => CommonSteps.Service($"infra.{name}", name, $"{name}.service",
            [ManagedFile.Of($"/etc/systemd/system/{name}.service", _ => name == "nginx" ? unit : "[Service]\n", FileSpec.Config)], (_, _) => Task.CompletedTask);
        Step[] Steps() => [.. CommonSteps.WithUnits("infra.units", [Service("nginx"), Service("dnsmasq")], "infra.packages")];
        Assert.Equal(["infra.units", "infra.nginx", "infra.dnsmasq"], Steps().Select(s => s.Id));
        Assert.Equal(["infra.packages"], Steps()[0].RunsAfter);
        Assert.All(Steps().Skip(1), s => Assert.Equal(["infra.units"], s.RunsAfter));

        Assert.Equal(["infra.units", "infra.nginx", "infra.dnsmasq"], await StepRunner.RunAsync(Steps(), _context));
        Assert.Equal(["daemon-reload", "enable nginx.service", "start nginx.service", "enable dnsmasq.service", "start dnsmasq.service"],
            _machine.FakeServices.Calls);

        _machine.FakeServices.Calls.Clear();
        unit = "[Service]\nRestart=always\n";

        Assert.Equal(["infra.units", "infra.nginx"], await StepRunner.RunAsync(Steps(), _context));
        Assert.Equal(["daemon-reload", "enable nginx.service", "restart nginx.service"], _machine.FakeServices.Calls);
    }

    [Fact]
    public async Task A_unit_written_before_a_power_cut_is_reloaded_and_its_service_restarted_on_the_next_run()
    {
        await Run(Nginx());
        var units = CommonSteps.Units("infra.units", [Nginx()]);
        File.WriteAllText(Path.Join(_root.Path, "/etc/systemd/system/nginx.service"), "[Service]\nold\n");
        _machine.FakeServices.FailOn = "nginx.service";

        // The units step writes and reloads; the power goes before nginx restarts with it.
        await Run(units);
        Assert.IsType<IOException>((await Assert.ThrowsAsync<InstallException>(() => Run(Nginx()))).InnerException);
        _machine.FakeServices.FailOn = null;
        _machine.FakeServices.Calls.Clear();

        Assert.True(await units.IsDone(_context, CancellationToken.None));
        Assert.False(await Nginx().IsDone(_context, CancellationToken.None));
        await Run(Nginx());
        Assert.Equal(["daemon-reload", "enable nginx.service", "restart nginx.service"], _machine.FakeServices.Calls);
        Assert.True(await Nginx().IsDone(_context, CancellationToken.None));
    }

    [Fact]
    public async Task A_service_step_reloads_systemd_only_for_a_unit_file_it_writes_itself()
    {
        Directory.CreateDirectory(Path.Join(_root.Path, "/etc/systemd/system"));
        File.WriteAllText(Path.Join(_root.Path, "/etc/systemd/system/nginx.service"), "[Service]\nold\n");

        await Run(Nginx());

        Assert.Equal(["daemon-reload", "enable nginx.service", "start nginx.service"], _machine.FakeServices.Calls);
    }

    [Fact]
    public async Task Packages_step_installs_only_from_the_repository()
    {
        var step = CommonSteps.Packages("node.packages", ["nginx"], _context.Node);

        await Run(step);

        Assert.True(await step.IsDone(_context, CancellationToken.None));
        var missing = CommonSteps.Packages("infra.grafana", ["grafana"], _context.Node);
        var error = await Assert.ThrowsAsync<InstallException>(() => Run(missing));
        Assert.Equal("step 'infra.grafana' failed: apt-get install grafana failed: the local repository lacks: Unable to locate package grafana", error.Message);
        Assert.IsType<ToolException>(error.InnerException);
    }

    [Fact]
    public async Task Packages_step_first_repairs_an_interrupted_dpkg_run_and_says_so()
    {
        // A power cut during an earlier install: apt refuses to work until dpkg finished what it started.
        _machine.FakePackages.Interrupted = "nginx (unpacked)";
        var step = CommonSteps.Packages("infra.packages", ["nginx"], _context.Node);

        await Run(step);

        Assert.Equal(["nginx"], _machine.FakePackages.Installs);
        Assert.Equal(
            ["repaired an interrupted dpkg run (nginx (unpacked)): dpkg --configure -a, apt-get -f install", "packages: 0 already installed, 1 to install (nginx)",
                "dpkg is unpacking (1 newly installed)"],
            _context.Trace.Notes);
    }

    [Fact]
    public async Task Packages_step_installs_nothing_an_image_already_carries_and_says_so()
    {
        _machine.FakePackages.Installed.Add("nginx");
        var step = CommonSteps.Packages("infra.packages", ["nginx"], _context.Node);

        await Run(step);

        Assert.Empty(_machine.FakePackages.Installs);
        Assert.Equal(["packages: 1 already installed, 0 to install"], _context.Trace.Notes);
    }

    [Fact]
    public void Only_a_packages_step_with_something_to_install_waits_for_the_package_source()
    {
        // The plan's view of dpkg: the image carries nginx and dnsmasq, not grafana.
        var node = _context.Node with { Installed = new HashSet<string>(["nginx", "dnsmasq"]) };

        Assert.Empty(CommonSteps.Packages("infra.packages", ["nginx", "dnsmasq"], node).Needs);
        Assert.Equal([Outputs.PackageSource], CommonSteps.Packages("infra.grafana", ["nginx", "grafana"], node).Needs);
        Assert.Equal([Outputs.PackageSource], CommonSteps.Packages("infra.packages", ["nginx"], _context.Node).Needs);
    }

    [Fact]
    public async Task Mask_disables_a_distribution_unit_once()
    {
        var step = CommonSteps.Mask("etcd.mask-default", "etcd.service");

        await Run(step);
        await Run(step);

        Assert.Equal(["mask etcd.service"], _machine.FakeServices.Calls);
    }
}
