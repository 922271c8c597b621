using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Bundler.Repo;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Verify;
using Pigsty.Appliance.Testing;
using Xunit.Abstractions;

namespace Pigsty.Appliance.Bundler.Tests.Integration;

/// <summary>
/// The whole fetch → index → seal → pack → verify chain on the real Pigsty closure (~244 packages, ~190 MiB) from the host's
/// configured mirror, cold and warm, with the times printed; the same package list as shared/bench/pigsty-pipeline.sh.
/// </summary>
[Trait(Traits.Category, Traits.Network)]
[Trait(Traits.Category, Traits.Slow)]
public sealed class RealMirrorBundleTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Components =
    [
        "postgresql-15", "postgresql-client-15", "postgresql-contrib", "patroni", "python3-etcd", "pgbouncer", "haproxy", "pgbackrest",
        "etcd-server", "etcd-client", "nginx", "victoria-metrics", "prometheus-alertmanager", "prometheus-blackbox-exporter",
        "prometheus-node-exporter", "prometheus-postgres-exporter", "prometheus-pgbouncer-exporter", "dnsmasq", "chrony",
        "vip-manager", "keepalived",
    ];

    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Pigsty_closure_builds_cold_and_warm_verifies_and_installs_with_apt()
    {
        var packages = await ClosureFromHostAptAsync();
        var cache = _temp.File("cache");
        var cold = await BuildAsync("cold", packages, cache);
        var warm = await BuildAsync("warm", packages, cache);

        var verifier = new BundleVerifier(ProcessRunner.Silent, NullLogger<BundleVerifier>.Instance);
        var clock = Stopwatch.StartNew();
        var tgz = await verifier.VerifyAsync(cold.Tgz, CancellationToken.None);
        var verifyTgz = clock.Elapsed;
        clock.Restart();
        var zst = await verifier.VerifyAsync(cold.Zst, CancellationToken.None);
        var verifyZst = clock.Elapsed;
        clock.Restart();
        await verifier.VerifyAsync(cold.Repo, CancellationToken.None);
        var verifyDir = clock.Elapsed;

        var apt = CleanAptRoot.Create(ProcessRunner.Silent, _temp.File("apt"), [$"deb [signed-by={cold.Repo}/pigsty.gpg] file:{cold.Repo}/ ./"]);
        var update = await apt.UpdateAsync(CancellationToken.None);
        var install = await apt.SimulateInstallAsync(Components, CancellationToken.None);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify: tgz {verifyTgz.TotalSeconds:0.00} s, tar.zst {verifyZst.TotalSeconds:0.00} s, directory {verifyDir.TotalSeconds:0.00} s ({tgz.Files} files, {tgz.Bytes / 1048576.0:0} MiB)"));
        Assert.Equal(packages.Count, tgz.Packages);
        Assert.True(zst.Signed && zst.SidecarChecked);
        Assert.True(update.Succeeded, update.StandardError);
        Assert.True(install.Succeeded, install.StandardOutput + install.StandardError);
        output.WriteLine($"apt-get install -s of the {Components.Length} components: {install.StandardOutput.Split('\n').Count(l => l.StartsWith("Inst ", StringComparison.Ordinal))} packages");
        // How long a warm rebuild takes depends on the machine and what else runs on it: a reported figure, not a pass mark.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warm rebuild to .tgz: {warm.Total.TotalSeconds:0.00} s (cold {cold.Total.TotalSeconds:0.00} s), {warm.Fetch.Downloaded} downloaded"));
        Assert.Equal(0, warm.Fetch.Downloaded);
        Assert.Equal(await File.ReadAllBytesAsync(cold.Repo + "/Packages"), await File.ReadAllBytesAsync(warm.Repo + "/Packages"));
    }

    private async Task<Build> BuildAsync(string name, IReadOnlyList<PackageRecord> packages, string cache)
    {
        var repo = _temp.File($"{name}/pigsty");
        var dist = _temp.File($"{name}/dist");
        var bundle = new BundleInfo("pigsty-pkg", "v0.0.0", "d12", "x86_64", SampleRepo.Time);
        var downloader = new Downloader(_http, NullLogger<Downloader>.Instance);
        var total = Stopwatch.StartNew();
        var step = Stopwatch.StartNew();

        var fetch = await new PackageFetcher(downloader, NullLogger<PackageFetcher>.Instance)
            .FetchAsync(packages, repo, new FetchOptions { CacheDirectory = cache }, null, CancellationToken.None);
        var fetchTime = step.Elapsed;
        step.Restart();
        var index = await SampleRepo.Writer().WriteAsync(repo, packages,
            new RepoOptions { Date = bundle.Created, Signing = RepoSigning.Generated() }, CancellationToken.None);
        var indexTime = step.Elapsed;
        step.Restart();
        var seal = await SampleRepo.Sealer().SealAsync(repo, bundle, packages, [.. fetch.Files, .. index.Files], CancellationToken.None);
        var sealTime = step.Elapsed;
        step.Restart();
        var tgz = await Pack(repo, Path.Combine(dist, bundle.FileStem + ".tgz"), PackFormat.Tgz, bundle);
        var tgzTime = step.Elapsed;
        var buildTime = total.Elapsed;
        step.Restart();
        var zst = await Pack(repo, Path.Combine(dist, bundle.FileStem + ".tar.zst"), PackFormat.TarZst, bundle);
        var zstTime = step.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {fetch.Packages} packages, {fetch.BytesTotal / 1048576.0:0} MiB; fetch {fetchTime.TotalSeconds:0.00} s " +
            $"({fetch.Downloaded} downloaded, {fetch.CacheHits} cache hits verified in {fetch.CacheVerifyTime.TotalSeconds:0.00} s summed, {fetch.Copied} copied); " +
            $"index+sign {indexTime.TotalSeconds:0.00} s; seal {sealTime.TotalSeconds:0.00} s ({seal.Hashed} hashed, {seal.Reused} reused); " +
            $"pack tgz {tgzTime.TotalSeconds:0.00} s ({tgz.Size / 1048576.0:0.0} MiB); total to .tgz {buildTime.TotalSeconds:0.00} s; " +
            $"pack tar.zst {zstTime.TotalSeconds:0.00} s ({zst.Size / 1048576.0:0.0} MiB)"));
        return new Build(repo, tgz.Path, zst.Path, fetch, buildTime);
    }

    private static Task<PackResult> Pack(string repo, string output, PackFormat format, BundleInfo bundle) =>
        new BundlePacker(NullLogger<BundlePacker>.Instance)
            .PackAsync(repo, output, new PackOptions { Format = format, Timestamp = bundle.Created }, CancellationToken.None);

    /// <summary>The closure as Pigsty computes it, with index stanzas and download URLs from the host's own apt configuration.</summary>
    private static async Task<IReadOnlyList<PackageRecord>> ClosureFromHostAptAsync()
    {
        var depends = await Run("apt-cache", ["depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
            "--no-replaces", "--no-enhances", .. Components]);
        var names = depends.Split('\n').Where(l => l.Length > 0 && l[0] is not (' ' or '<')).Distinct(StringComparer.Ordinal).ToArray();
        var uris = (await Run("apt-get", ["download", "--print-uris", .. names])).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0].Trim('\''))
            .ToList();
        var stanzas = ControlStanza.ParseAll(new StringReader(await Run("apt-cache", ["show", "--no-all-versions", .. names]))).ToList();
        var records = new List<PackageRecord>();
        foreach (var stanza in stanzas)
        {
            var filename = stanza["Filename"]!;
            var url = uris.Single(u => Uri.UnescapeDataString(u).EndsWith("/" + filename, StringComparison.Ordinal));
            var baseUri = new Uri(url[..(url.IndexOf("/pool/", StringComparison.Ordinal) + 1)]);
            var source = new AptSource("host", baseUri, "bookworm", ["main"], "amd64", "/usr/share/keyrings/debian-archive-keyring.gpg");
            records.Add(new PackageRecord(stanza["Package"]!, stanza["Version"]!, stanza["Architecture"]!, filename,
                long.Parse(stanza["Size"]!, CultureInfo.InvariantCulture), stanza["SHA256"]!, source, stanza));
        }

        return records;
    }

    private static async Task<string> Run(string tool, string[] arguments) =>
        (await ProcessRunner.Silent.RunAsync(RealTool.Spec(tool, arguments), CancellationToken.None)).StandardOutput;

    private sealed record Build(string Repo, string Tgz, string Zst, FetchSummary Fetch, TimeSpan Total);
}
