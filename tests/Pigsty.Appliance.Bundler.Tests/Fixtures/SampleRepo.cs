using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>Builds a sealed flat repo from the fixture packages: copy, index (optionally signed), seal.</summary>
internal static class SampleRepo
{
    public static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_763_726_400);

    public static readonly BundleInfo Bundle = new("pigsty-pkg", "v0.1.0", "d12", "x86_64", Time);

    public static FlatRepoWriter Writer() => new(ProcessRunner.Silent, NullLogger<FlatRepoWriter>.Instance);

    public static BundleSealer Sealer() => new(NullLogger<BundleSealer>.Instance);

    /// <summary>Creates <c>parent/pigsty</c>, sealed, and returns its path.</summary>
    public static async Task<string> CreateAsync(string parent, DebFixture debs, RepoSigning? signing = null)
    {
        var repo = Path.Combine(parent, RepoLayout.RootName);
        debs.CopyInto(repo);
        var index = await Writer().WriteAsync(repo, debs.Packages, new RepoOptions { Date = Time, Signing = signing }, CancellationToken.None);
        await Sealer().SealAsync(repo, Bundle, debs.Packages, index.Files, CancellationToken.None);
        return repo;
    }

    /// <summary>Re-seals after a test changed files, so that checks deeper than the marker get to see the change.</summary>
    public static Task ResealAsync(string repo, DebFixture debs) =>
        Sealer().SealAsync(repo, Bundle, debs.Packages, [], CancellationToken.None);
}
