using Pigsty.Appliance.Installer.Run;

namespace Pigsty.Appliance.Installer.Tests;

/// <summary>The installer reads a sealed repo (Repository) and nothing of the bundler: it ships on every node.</summary>
public sealed class ProjectBoundaryTests
{
    [Fact]
    public void The_installer_uses_the_repository_reader_and_not_the_bundler()
    {
        var references = typeof(NodeInstaller).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Pigsty.Appliance.Repository", references);
        Assert.DoesNotContain("Pigsty.Appliance.Bundler", references);
    }
}
