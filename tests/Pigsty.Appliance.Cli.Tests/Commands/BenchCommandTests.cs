using Pigsty.Appliance.Cli.Bench;
using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary>
/// <c>bench</c> from a fresh clone: its default reference scripts are files of this repository (not of a folder beside it),
/// bash accepts them, and apt-sim.sh really asks stock apt about a flat repo (the full bench needs the mirror: the Bench target).
/// </summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(BenchCommand.PipelineScript)]
    [InlineData(BenchCommand.AptSimScript)]
    public async Task Default_scripts_are_in_the_repository_and_parse(string script)
    {
        var root = RepositoryRoot();

        var path = Path.GetFullPath(Path.Combine(root, script));

        Assert.StartsWith(root + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
        Assert.True(File.Exists(path), $"{script} is not in the repository ({root})");
        var syntax = await RealTool.RunAsync("bash", "-n", path);
        Assert.True(syntax.ExitCode == 0, syntax.StandardError);
    }

    [Fact]
    public async Task Apt_sim_counts_what_stock_apt_would_install_from_the_repo_alone_and_fails_on_a_missing_package()
    {
        var repo = Directory.CreateDirectory(_temp.File("repo")).FullName;
        await Deb("bench-base", null, repo);
        await Deb("bench-app", "bench-base", repo);
        var index = await RealTool.CheckAsync("dpkg-scanpackages", repo, "/dev/null");
        await File.WriteAllTextAsync(Path.Combine(repo, "Packages"), index.StandardOutput.Replace(repo + "/", "./", StringComparison.Ordinal));
        var script = Path.Combine(RepositoryRoot(), BenchCommand.AptSimScript);

        var complete = await RealTool.RunAsync("bash", script, repo, "bench-app");
        var incomplete = await RealTool.RunAsync("bash", script, repo, "bench-app", "bench-missing");

        Assert.True(complete.ExitCode == 0, complete.StandardError);
        Assert.Equal(2, BenchFigures.AptSim(complete.StandardOutput));
        Assert.Equal(1, incomplete.ExitCode);
        Assert.Null(BenchFigures.AptSim(incomplete.StandardOutput));
    }

    [Fact]
    public async Task Pipeline_without_packages_is_a_usage_error()
    {
        var run = await RealTool.RunAsync("bash", Path.Combine(RepositoryRoot(), BenchCommand.PipelineScript), _temp.File("www"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("usage:", run.StandardError, StringComparison.Ordinal);
    }

    private async Task Deb(string name, string? depends, string repo)
    {
        var tree = Directory.CreateDirectory(_temp.File($"{name}/DEBIAN")).Parent!.FullName;
        await File.WriteAllTextAsync(Path.Combine(tree, "DEBIAN", "control"),
            $"Package: {name}\nVersion: 1.0\nArchitecture: all\nMaintainer: bench test <test@localhost>\n"
            + (depends is null ? "" : $"Depends: {depends}\n") + $"Description: {name} for the apt-sim test\n");
        await RealTool.CheckAsync("dpkg-deb", "--root-owner-group", "-b", tree, Path.Combine(repo, $"{name}_1.0_all.deb"));
    }

    /// <summary>The checkout this test binary was built in: the directory holding Pigsty.Appliance.sln above the output directory.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pigsty.Appliance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Pigsty.Appliance.sln above {AppContext.BaseDirectory}");
    }
}
