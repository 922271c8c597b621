using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

public sealed class AptPackageManagerTests
{
    [Fact]
    public async Task Refresh_fails_on_any_unreadable_index()
    {
        var processes = new ScriptedProcesses();

        await new AptPackageManager(processes, new LocalFileSystem(ProcessRunner.Silent, Path.GetTempPath())).RefreshAsync(CancellationToken.None);

        Assert.Equal(["apt-get update --error-on=any"], processes.Calls);
    }
}
