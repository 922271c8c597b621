using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Build;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Sealed;
using Spectre.Console;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>bundle</c>: builds the offline package bundle (dist/pigsty-pkg-&lt;version&gt;.&lt;os&gt;.&lt;arch&gt;.tgz) from a recipe.</summary>
public static class BundleCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recipe = new Option<string>("--recipe", "-r") { Description = "Recipe name (recipes/NAME.yml) or path", DefaultValueFactory = _ => RecipeLoader.DefaultName };
        var mirrors = new Option<string[]>("--mirror") { Description = "Upstream archive URL, as NAME=URL (e.g. debian=http://mirror/debian); default: the recipe, else this host's apt sources", AllowMultipleArgumentsPerToken = false };
        var binaries = new Option<string[]>("--binary") { Description = "Build binary component NAME from a local file or http(s) URL instead of the recipe's source, and enable it: NAME=FILE|URL (e.g. minio=./minio)", AllowMultipleArgumentsPerToken = false };
        var cache = new Option<string?>("--cache") { Description = "Package and index cache directory (default: ~/.cache/pigsty-appliance)" };
        var output = new Option<string>("--output", "-o") { Description = "Directory for the bundle and its .sha256", DefaultValueFactory = _ => "dist" };
        var work = new Option<string>("--work") { Description = "Directory where the repo is staged between runs", DefaultValueFactory = _ => "artifacts/bundle" };
        var locks = new Option<string>("--lock-dir") { Description = "Directory of lock files", DefaultValueFactory = _ => "repo-manifests" };
        var format = new Option<string>("--format") { Description = "tgz (Pigsty-compatible) or tar.zst", DefaultValueFactory = _ => "tgz" };
        format.AcceptOnlyFromAmong("tgz", "tar.zst");
        var locked = new Option<bool>("--locked") { Description = "Reproduce the lock file exactly; fail if a locked version is gone upstream" };
        var update = new Option<bool>("--update") { Description = "Resolve current versions and rewrite the lock file" };
        var signingKey = new Option<string?>("--signing-key")
        {
            Description = "Sign the repo with this secret key file (default: this host's own key, ~/.config/pigsty-appliance/repo-signing-key.asc, made on the first build)",
        };
        var parallel = new Option<int>("--parallel") { Description = "Downloads at once", DefaultValueFactory = _ => 8 };
        var noProve = new Option<bool>("--no-prove") { Description = "Skip the stock-apt and mmdebstrap proofs of the finished repo" };
        var prove = new Option<bool>("--prove") { Description = "Run the proofs even when they already passed for the same repo content" };
        var json = CliJson.Option("Print the summary as JSON on stdout (progress lines go to stderr): bundle, packages, fetch, timings, signing, lock, proof");
        var command = new Command("bundle", "Build the offline package bundle (Pigsty's /www/pigsty repo as a tarball) from a recipe")
        {
            recipe, mirrors, binaries, cache, output, work, locks, format, locked, update, signingKey, parallel, noProve, prove, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            if (parseResult.GetValue(locked) && parseResult.GetValue(update))
            {
                throw new UsageException("--locked and --update exclude each other");
            }

            if (parseResult.GetValue(prove) && parseResult.GetValue(noProve))
            {
                throw new UsageException("--prove and --no-prove exclude each other");
            }

            var key = parseResult.GetValue(signingKey);
            var options = new BundleOptions
            {
                RecipePath = RecipeLoader.Locate(parseResult.GetRequiredValue(recipe), "recipes"),
                Version = ProductVersion.Value,
                OutputDirectory = parseResult.GetRequiredValue(output),
                WorkDirectory = parseResult.GetRequiredValue(work),
                LockDirectory = parseResult.GetRequiredValue(locks),
                Mirrors = ParseMirrors(parseResult.GetValue(mirrors) ?? []),
                BinarySources = ParseBinaries(parseResult.GetValue(binaries) ?? []),
                GitHub = GitHubOptions.FromEnvironment(Environment.GetEnvironmentVariable),
                CacheDirectory = parseResult.GetValue(cache) ?? Bundler.Fetch.PackageCache.DefaultRoot(),
                LockMode = parseResult.GetValue(locked) ? LockMode.Locked : parseResult.GetValue(update) ? LockMode.Update : LockMode.Default,
                Format = parseResult.GetValue(format) == "tar.zst" ? PackFormat.TarZst : PackFormat.Tgz,
                // Always signed: nodes install only from a repo whose Release verifies against the key the image carries.
                Signing = key is not null ? RepoSigning.WithKey(key) : RepoSigning.Persistent(RepoSigning.DefaultKeyFile(Environment.GetEnvironmentVariable)),
                Parallelism = Math.Max(1, parseResult.GetValue(parallel)),
                Prove = !parseResult.GetValue(noProve),
                ForceProof = parseResult.GetValue(prove),
            };
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var runner = new ProcessRunner(context.Logger<ProcessRunner>());
            var builder = new BundleBuilder(new Downloader(http, context.Logger<Downloader>()), runner, context.Loggers);
            var asJson = parseResult.GetValue(json);
            var result = await ProgressDisplay.RunAsync(context.Io, asJson,
                (bars, plain) => builder.BuildAsync(options, new BundleObserver(context.Io.Console, plain, bars, TimeProvider.System), cancellationToken));

            if (asJson)
            {
                await CliJson.WriteAsync(context.Io.Out, Json(result));
                return 0;
            }

            Summarise(context.Io.Out, result);
            return 0;
        });
        return command;
    }

    private static JsonObject Json(BundleResult result) => new()
    {
        ["bundle"] = result.Pack.Path,
        ["checksum_file"] = result.Pack.ChecksumPath,
        ["bytes"] = result.Pack.Size,
        ["sha256"] = result.Pack.Sha256,
        ["packages"] = result.Packages,
        ["fetch"] = new JsonObject
        {
            ["bytes_total"] = result.Fetch.BytesTotal,
            ["downloaded"] = result.Fetch.Downloaded,
            ["bytes_downloaded"] = result.Fetch.BytesDownloaded,
            ["cache_hits"] = result.Fetch.CacheHits,
            ["cache_repairs"] = result.Fetch.CacheRepairs,
        },
        ["timings"] = CliJson.Timings(result.Timings),
        ["peak_memory_bytes"] = ProcessMemory.PeakBytes(),
        ["signing_fingerprint"] = result.SigningFingerprint,
        ["lock"] = new JsonObject
        {
            ["path"] = result.LockPath,
            ["written"] = result.LockWritten,
            ["changes"] = CliJson.Strings(result.LockChanges),
        },
        ["proof"] = result.ReusedProof is { } reused
            ? new JsonObject { ["state"] = "reused", ["installs"] = reused.Installs, ["proven"] = reused.Proven }
            : result.ProofInstalls is { } installs ? new JsonObject { ["state"] = "passed", ["installs"] = installs } : new JsonObject { ["state"] = "skipped" },
    };

    private static void Summarise(TextWriter output, BundleResult result)
    {
        var fetch = result.Fetch;
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine($"bundle: {result.Pack.Path} ({result.Pack.Size / 1048576.0:0.0} MiB, sha256 {result.Pack.Sha256})".ToString(inv));
        output.WriteLine(string.Create(inv, $"packages: {result.Packages} ({fetch.BytesTotal / 1048576.0:0.0} MiB); downloaded {fetch.Downloaded} ({fetch.BytesDownloaded / 1048576.0:0.0} MiB), cache hits {fetch.CacheHits}"));
        var total = result.Timings.Sum(t => t.Elapsed.TotalSeconds);
        output.WriteLine(string.Create(inv, $"time: {total:0.0} s ({string.Join(", ", result.Timings.Select(t => string.Create(inv, $"{t.Name} {t.Elapsed.TotalSeconds:0.0}")))})"));
        if (ProcessMemory.PeakBytes() is { } peak)
        {
            output.WriteLine(string.Create(inv, $"peak memory: {peak / 1048576.0:0} MiB"));
        }

        output.WriteLine(result.SigningFingerprint is { } fingerprint
            ? $"signed: key {fingerprint} (its public half is {RepoLayout.PublicKey} in the bundle)"
            : "signed: no (nodes will refuse this repo)");
        output.WriteLine((result.LockWritten, result.LockChanges.Count) switch
        {
            (true, 0) => $"lock: {result.LockPath} created",
            (true, var n) => $"lock: {result.LockPath} updated ({n} changes)",
            (false, 0) => $"lock: {result.LockPath} matches",
            (false, var n) => $"lock: {result.LockPath} differs in {n} package(s) (not rewritten; see the warning above)",
        });
        if (result.ReusedProof is { } reused)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"proof: already passed for this repo content on {reused.Proven:yyyy-MM-dd HH:mm} UTC ({reused.Installs} packages); not repeated, --prove forces it"));
        }
        else if (result.ProofInstalls is { } installs)
        {
            output.WriteLine($"proof: stock apt installs every requested package from the repo alone ({installs} packages); mmdebstrap bootstraps the image base from it");
        }
    }

    private static Dictionary<string, BinarySource> ParseBinaries(IEnumerable<string> values)
    {
        var sources = new Dictionary<string, BinarySource>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == value.Length - 1)
            {
                throw new UsageException($"--binary '{value}' is not NAME=FILE or NAME=URL");
            }

            sources[value[..equals]] = BinarySource.FromText(value[(equals + 1)..]);
        }

        return sources;
    }

    private static Dictionary<string, Uri> ParseMirrors(IEnumerable<string> values)
    {
        var mirrors = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !Uri.TryCreate(value[(equals + 1)..], UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https" or "file"))
            {
                throw new UsageException($"--mirror '{value}' is not NAME=URL with an http(s) or file URL");
            }

            mirrors[value[..equals]] = uri;
        }

        return mirrors;
    }
}
