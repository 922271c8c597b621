namespace Pigsty.Appliance.Cli.Tests;

/// <summary>pigsty-appliance is the file every image carries: the boot-test harness and its PostgreSQL client stay out of it.</summary>
public sealed class ProjectBoundaryTests
{
    [Fact]
    public void The_cli_holds_no_boot_test_harness()
    {
        var cli = typeof(CliApp).Assembly;
        var references = cli.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Pigsty.Appliance.Installer", references);
        Assert.DoesNotContain(references, r => r is "pigsty-boottest" or "Npgsql");
        Assert.DoesNotContain(cli.GetTypes(), t => t.Namespace?.Contains("Boot", StringComparison.Ordinal) == true);
    }
}
