using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Repo;

/// <summary>Stock apt against the repos we write: what Pigsty nodes will do with <c>/www/pigsty</c>.</summary>
[Trait(Traits.Category, Traits.Slow)]
public sealed class AptAcceptanceTests(DebFixture debs) : IClassFixture<DebFixture>, IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Unsigned_repo_with_trusted_yes_installs_the_dependency_closure()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb [trusted=yes] file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);
        var install = await apt.SimulateInstallAsync(["pigsty-app"], CancellationToken.None);

        Assert.True(update.Succeeded, update.StandardError);
        Assert.True(install.Succeeded, install.StandardOutput + install.StandardError);
        Assert.Equal(["pigsty-app", "pigsty-data", "pigsty-lib"], Installed(install.StandardOutput));
        Assert.Contains("Inst pigsty-lib (1:2.0-1 ", install.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_repo_installs_with_signed_by_and_without_trusted_yes()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb [signed-by={repo}/pigsty.gpg] file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);
        var install = await apt.SimulateInstallAsync(["pigsty-app"], CancellationToken.None);

        Assert.True(update.Succeeded, update.StandardError);
        Assert.DoesNotContain("W:", update.StandardError, StringComparison.Ordinal);
        Assert.True(install.Succeeded, install.StandardOutput + install.StandardError);
        Assert.Equal(["pigsty-app", "pigsty-data", "pigsty-lib"], Installed(install.StandardOutput));
    }

    [Fact]
    public async Task Signed_repo_is_refused_without_its_key()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);

        Assert.Contains("NO_PUBKEY", update.StandardError + update.StandardOutput, StringComparison.Ordinal);
        Assert.False((await apt.SimulateInstallAsync(["pigsty-app"], CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Tampered_InRelease_is_rejected()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        var inRelease = Path.Combine(repo, "InRelease");
        await File.WriteAllTextAsync(inRelease, (await File.ReadAllTextAsync(inRelease)).Replace("Label: Pigsty", "Label: Evil", StringComparison.Ordinal));
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb [signed-by={repo}/pigsty.gpg] file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);

        Assert.Contains("BADSIG", update.StandardError + update.StandardOutput, StringComparison.Ordinal);
        Assert.False((await apt.SimulateInstallAsync(["pigsty-app"], CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Tampered_Release_is_rejected_by_its_detached_signature()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs, RepoSigning.Generated());
        File.Delete(Path.Combine(repo, "InRelease"));
        var release = Path.Combine(repo, "Release");
        await File.WriteAllTextAsync(release, (await File.ReadAllTextAsync(release)).Replace("Label: Pigsty", "Label: Evil", StringComparison.Ordinal));
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb [signed-by={repo}/pigsty.gpg] file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);

        Assert.Contains("BADSIG", update.StandardError + update.StandardOutput, StringComparison.Ordinal);
        Assert.False((await apt.SimulateInstallAsync(["pigsty-app"], CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task Release_hash_that_does_not_match_Packages_is_rejected_even_with_trusted_yes()
    {
        var repo = await SampleRepo.CreateAsync(_temp.Path, debs);
        var release = Path.Combine(repo, "Release");
        var lines = (await File.ReadAllLinesAsync(release)).Select(l => l.EndsWith(" Packages.gz", StringComparison.Ordinal) ? " " + new string('0', 64) + l[65..] : l);
        await File.WriteAllTextAsync(release, string.Join('\n', lines) + "\n");
        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("root"), [$"deb [trusted=yes] file:{repo}/ ./"]);

        var update = await apt.UpdateAsync(CancellationToken.None);

        Assert.False(update.Succeeded);
        Assert.Contains("Hash Sum mismatch", update.StandardError + update.StandardOutput, StringComparison.Ordinal);
    }

    private static List<string> Installed(string simulation) =>
        simulation.Split('\n').Where(l => l.StartsWith("Inst ", StringComparison.Ordinal)).Select(l => l.Split(' ')[1]).Order(StringComparer.Ordinal).ToList();
}
