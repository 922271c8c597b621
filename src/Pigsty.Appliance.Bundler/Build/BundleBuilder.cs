using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Resolve;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Verify;

namespace Pigsty.Appliance.Bundler.Build;

/// <summary>The Bundle pipeline: indexes → resolve → binaries → fetch → index → seal → pack → verify → prove, as named steps.</summary>
public sealed class BundleBuilder(Downloader downloader, IProcessRunner runner, ILoggerFactory loggers)
{
    /// <summary>The group whose packages the image's root filesystem is bootstrapped from; proven with mmdebstrap when present.</summary>
    public const string ImageBaseGroup = "image-base";

    public async Task<BundleResult> BuildAsync(BundleOptions options, IBundleObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var recipe = BinaryOverrides.Apply(await RecipeLoader.LoadAsync(options.RecipePath, cancellationToken), options.BinarySources);
        var binaries = recipe.EnabledBinaries.ToList();
        var sources = UpstreamResolver.Resolve(recipe, options.Mirrors, HostAptSources.Load(options.HostRoot));
        var requested = recipe.Groups.SelectMany(g => g.Packages).Distinct(StringComparer.Ordinal).ToList();
        var lockPath = Path.Combine(options.LockDirectory, LockFile.FileName(recipe.Name, recipe.Machine));
        var repoDir = Path.Combine(options.WorkDirectory, recipe.Name, "pigsty");
        var info = new BundleInfo(ArtifactNames.BundlePrefix, options.Version, recipe.Os, recipe.Machine, BundleInfo.TimeFromEnvironment());
        var output = Path.Combine(options.OutputDirectory, info.FileStem + PackOptions.ExtensionOf(options.Format));

        IReadOnlyList<AptIndex> indexes = [];
        IReadOnlyList<PackageRecord> records = [];
        IReadOnlyList<string> lockChanges = [];
        var lockWritten = false;
        LockFile? existingLock = null;
        LockFile? lockToWrite = null;
        BinaryBuild? builtBinaries = null;
        FetchSummary? fetched = null;
        RepoIndex? repoIndex = null;
        PackResult? packed = null;
        int? proofInstalls = null;
        ProofRecord? reusedProof = null;

        var steps = new List<PipelineStep>
        {
            PipelineStep.Of("indexes", async token =>
            {
                observer.Step("indexes", $"{sources.Count} signed suites");
                var client = new AptIndexClient(downloader, runner, loggers.CreateLogger<AptIndexClient>(),
                    new AptIndexOptions { CacheDirectory = Path.Combine(options.CacheDirectory, "indexes") });
                var loaded = new List<AptIndex>();
                foreach (var source in sources)
                {
                    var index = await client.LoadAsync(source, token);
                    observer.IndexLoaded(index);
                    loaded.Add(index);
                }

                indexes = loaded;
                ReturnFreeMemory();
            }),
            PipelineStep.Of("resolve", async token =>
            {
                observer.Step("resolve", $"{requested.Count} requested packages, lock {options.LockMode.ToString().ToLowerInvariant()}");
                existingLock = await LockFileStore.ReadAsync(lockPath, token);

                // The universe is built inside the call, so no field of this step's state machine keeps it reachable afterwards.
                (records, lockChanges, lockToWrite) = ResolveApt(recipe, options, requested,
                    new PackageUniverse(indexes.SelectMany(i => i.Lists), recipe.Architecture), existingLock, lockPath, observer);

                // The indexes and the universe are needed by no later step.
                indexes = [];
                ReturnFreeMemory();
            }, "indexes"),
            PipelineStep.Of("binaries", async token =>
            {
                observer.Step("binaries", binaries.Count == 0 ? "none enabled" : $"{binaries.Count} release binaries → .deb: {string.Join(", ", binaries.Select(b => b.Name))}");
                var built = await new BinaryPackages(downloader, options.GitHub, loggers.CreateLogger<BinaryPackages>()).BuildAsync(binaries,
                    new BinaryBuildOptions
                    {
                        Architecture = recipe.Architecture,
                        CacheDirectory = options.CacheDirectory,
                        Lock = existingLock,
                        LockPath = lockPath,
                        RequirePins = options.LockMode == LockMode.Locked,
                        AcceptChanges = options.LockMode == LockMode.Update,
                    }, token);
                records = [.. records, .. built.Records];
                builtBinaries = built;
            }, "resolve"),
            PipelineStep.Of("fetch", async token =>
            {
                observer.Step("fetch", $"{records.Count} packages, {records.Sum(r => r.Size) / 1048576.0:0.0} MiB");
                var fetcher = new PackageFetcher(downloader, loggers.CreateLogger<PackageFetcher>());
                fetched = await fetcher.FetchAsync(records, repoDir,
                    new FetchOptions { CacheDirectory = options.CacheDirectory, Parallelism = options.Parallelism }, observer, token);
                ReturnFreeMemory();
            }, "binaries"),
            PipelineStep.Of("index", async token =>
            {
                observer.Step("index", options.Signing is null ? "Packages, Packages.gz, Release" : "Packages, Packages.gz, Release, InRelease (signed)");
                var writer = new FlatRepoWriter(runner, loggers.CreateLogger<FlatRepoWriter>());
                repoIndex = await writer.WriteAsync(repoDir, records,
                    new RepoOptions { Date = info.Created, Signing = options.Signing, Description = $"Pigsty offline repository ({recipe.Name})" }, token);
            }, "fetch"),
            PipelineStep.Of("seal", async token =>
            {
                observer.Step("seal", "manifest.json, then repo_complete");
                var sealer = new BundleSealer(loggers.CreateLogger<BundleSealer>());
                await sealer.SealAsync(repoDir, info, records, [.. fetched!.Files, .. repoIndex!.Files], token);
            }, "index"),
            PipelineStep.Of("pack", async token =>
            {
                observer.Step("pack", Path.GetFileName(output));
                var packer = new BundlePacker(loggers.CreateLogger<BundlePacker>());
                packed = await packer.PackAsync(repoDir, output, new PackOptions { Format = options.Format, Timestamp = info.Created }, token);
            }, "seal"),
            PipelineStep.Of("verify", async token =>
            {
                observer.Step("verify", $"{Path.GetFileName(output)} against repo_complete, indexes and sidecar");
                await new BundleVerifier(runner, loggers.CreateLogger<BundleVerifier>()).VerifyAsync(output, token);
            }, "pack"),
            PipelineStep.Of("lock", async token =>
            {
                if (options.LockMode != LockMode.Locked)
                {
                    // Written only now, after every source answered and the bundle was fetched, packed and verified:
                    // a failing build leaves the lock as it was, never pinning what no bundle holds.
                    (lockChanges, lockWritten) = await WriteLockAsync(lockPath, existingLock, lockToWrite, recipe, builtBinaries!, lockChanges, token);
                }
            }, "verify"),
        };
        if (options.Prove)
        {
            steps.Add(PipelineStep.Of("prove", async token =>
            {
                var request = new ProofRequest(repoDir, recipe.Name, [.. requested, .. binaries.Select(b => b.Name)],
                    recipe.FindGroup(ImageBaseGroup)?.Packages ?? []);
                var prover = new RepoProver(new BundleProof(runner, loggers.CreateLogger<BundleProof>()), ProofCache.In(options.CacheDirectory), TimeProvider.System);
                var outcome = await prover.ProveAsync(request, options.ForceProof, detail => observer.Step("prove", detail), observer.Warn, token);
                (reusedProof, proofInstalls) = (outcome.Reused ? outcome.Record : null, outcome.Record.Installs);
            }, "verify"));
        }

        var timings = await new Pipeline("bundle", steps).RunAsync(loggers.CreateLogger<BundleBuilder>(), cancellationToken);
        return new BundleResult(packed!, repoDir, lockPath, records.Count, fetched!, timings, lockChanges, lockWritten, proofInstalls)
        {
            SigningFingerprint = repoIndex!.SigningFingerprint,
            ReusedProof = reusedProof,
        };
    }

    /// <summary>
    /// Gives the memory of what the steps so far left behind back to the system. Left to itself the GC keeps it committed and the next
    /// step grows on top of it. Measured here (max RSS): the cold Bench run 123 MiB with none of these, 107 with the one after resolving;
    /// a warm no-change run 103–120 with none, 95–97 with that one, 92–97 with all three (the cold peak is executable code by then).
    /// </summary>
    private static void ReturnFreeMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The apt closure, and the lock to write for it (null: keep the existing one); the lock is written after the binaries step.</summary>
    private static (IReadOnlyList<PackageRecord> Records, IReadOnlyList<string> Changes, LockFile? ToWrite) ResolveApt(Recipe recipe,
        BundleOptions options, IReadOnlyList<string> requested, PackageUniverse universe, LockFile? existing, string lockPath, IBundleObserver observer)
    {
        if (options.LockMode == LockMode.Locked)
        {
            var lockFile = existing ?? throw new Core.Errors.InputException(lockPath,
                "--locked needs this lock file; build once without --locked (or with --update) to create it");
            return (LockResolver.Reproduce(lockFile, lockPath, requested, universe), [], null);
        }

        var recommends = recipe.Groups.Where(g => g.Recommends).SelectMany(g => g.Packages).ToHashSet(StringComparer.Ordinal);
        var request = new ResolveRequest(requested.Select(n => new PackageRequest(n, recommends.Contains(n))).ToList())
        {
            IncludeRequiredBase = recipe.IncludeRequired,
        };
        var resolution = Resolver.Resolve(universe, request);
        foreach (var note in resolution.Notes)
        {
            observer.Warn(note);
        }

        var records = resolution.Entries.Select(e => e.ReadRecord()).ToList();
        var fresh = LockResolver.From(recipe.Name, recipe.Architecture, requested, records);
        var changes = existing is null ? [] : fresh.Changes(existing);
        var write = existing is null || (options.LockMode == LockMode.Update && changes.Count > 0);
        if (!write && changes.Count > 0)
        {
            observer.Warn($"{lockPath} differs from upstream in {changes.Count} package(s); this bundle uses the current versions. " +
                "Run with --update to record them, or --locked to reproduce the lock:\n  " + string.Join("\n  ", changes.Take(20))
                + (changes.Count > 20 ? $"\n  … and {changes.Count - 20} more" : ""));
        }

        return (records, changes, write ? fresh : null);
    }

    /// <summary>Writes the lock when its apt part is to be written or a binary pin was added, changed or dropped.</summary>
    private static async Task<(IReadOnlyList<string> Changes, bool Written)> WriteLockAsync(string lockPath, LockFile? existing, LockFile? aptLock,
        Recipe recipe, BinaryBuild built, IReadOnlyList<string> aptChanges, CancellationToken cancellationToken)
    {
        var pins = BinaryPackages.MergePins(existing, recipe.Binaries, built.Pins);
        var final = (aptLock ?? existing!) with { Binaries = pins };
        var pinChanges = existing is null ? [] : (existing with { Binaries = pins }).Changes(existing);
        if (aptLock is null && pinChanges.Count == 0)
        {
            return (aptChanges, false);
        }

        await LockFileStore.WriteAsync(lockPath, final, cancellationToken);
        return ([.. aptChanges, .. pinChanges], true);
    }
}
