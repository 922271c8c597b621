using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Steps;

public sealed class ConfigureStepTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeMachine _machine;
    private readonly StepContext _context;
    private readonly List<string> _activations = [];
    private string _content = "vm.swappiness = 1\n";
    private bool _inEffect = true;
    private bool _failActivation;

    public ConfigureStepTests()
    {
        _machine = new FakeMachine(_root.Path);
        _context = new StepContext(TestNode.Create(_root.Path), _machine, NullLogger.Instance);
    }

    public void Dispose() => _root.Dispose();

    private Step Sysctl() => CommonSteps.Configure("node.tune", "sysctl", [ManagedFile.Of("/etc/sysctl.d/90-pigsty.conf", _ => _content, FileSpec.Config)],
        (_, _) =>
        {
            if (_failActivation)
            {
                throw new IOException("sysctl failed");
            }

            _activations.Add(_content);
            _inEffect = true;
            return Task.CompletedTask;
        },
        inEffect: (_, _) => Task.FromResult(_inEffect));

    private Task Run(Step step) => StepRunner.RunAsync(step, _context);

    [Fact]
    public async Task Activates_once_when_files_change_and_not_on_a_second_run()
    {
        await Run(Sysctl());
        await Run(Sysctl());

        Assert.Equal(["vm.swappiness = 1\n"], _activations);
        Assert.True(await Sysctl().IsDone(_context, CancellationToken.None));
    }

    [Fact]
    public async Task Activates_when_the_system_drifted_even_if_files_match()
    {
        await Run(Sysctl());
        _inEffect = false;

        Assert.False(await Sysctl().IsDone(_context, CancellationToken.None));
        await Run(Sysctl());

        Assert.Equal(2, _activations.Count);
    }

    [Fact]
    public async Task An_activation_lost_to_a_crash_happens_on_the_next_run()
    {
        await Run(Sysctl());
        _content = "vm.swappiness = 10\n";
        _failActivation = true;

        Assert.IsType<IOException>((await Assert.ThrowsAsync<InstallException>(() => Run(Sysctl()))).InnerException);
        _failActivation = false;

        // The file already has the new content: only the marker says the activation is still owed.
        Assert.False(await Sysctl().IsDone(_context, CancellationToken.None));
        await Run(Sysctl());
        Assert.Equal(["vm.swappiness = 1\n", "vm.swappiness = 10\n"], _activations);
    }
}
