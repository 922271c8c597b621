using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Pigsty.Appliance.Bundler.Binaries;
using Pigsty.Appliance.Bundler.Fetch;
using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Bundler.Tests.Fixtures;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Net;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Binaries;

/// <summary>The binaries step against a fake GitHub API and asset host on loopback, and with local files and no network at all.</summary>
public sealed class BinaryPackagesTests : IDisposable
{
    /// <summary>What GitHub's API answers with, and what Octokit needs to read a body as JSON at all.</summary>
    private const string GitHubJson = "application/json; charset=utf-8";
    private const string Label = "binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz')";
    private const string GitHubSource = "github: acme/hello\ntag: v1.0\nasset: 'hello-svc-*-linux-amd64.tar.gz'\ninstall: [hello-svc, hello-cli]";
    /// <summary>Retries as a real build does, with a backoff short enough for a test.</summary>
    private static readonly DownloadOptions Retrying = new() { Attempts = 3, FirstBackoff = TimeSpan.FromMilliseconds(10) };
    private readonly LoopbackHttpServer _server = new();
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new();
    private readonly ConcurrentQueue<string?> _authorizations = new();

    public BinaryPackagesTests() => ServeRelease("v1.0", ["hello-svc-1.0-linux-amd64.tar.gz", "hello-svc-1.0-linux-arm64.tar.gz", "hello-svc-1.0.zip"]);

    private string Cache => _temp.File("cache");

    private string LockPath => _temp.File("tiny.x86_64.lock.json");

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task Release_tag_is_looked_up_and_the_one_matching_asset_downloaded_extracted_and_pinned()
    {
        var component = Assets.Component(GitHubSource);

        var built = await Build(component, Options(), new GitHubOptions { ApiBase = _server.BaseUri });

        var record = Assert.Single(built.Records);
        Assert.Equal(("hello-svc", "1.0", "amd64", "hello-svc_1.0_amd64.deb"), (record.Name, record.Version, record.Architecture, record.DebFileName));
        var deb = new PackageCache(Cache).PathFor(record.Sha256);
        Assert.Equal("Package: hello-svc\nVersion: 1.0\nArchitecture: amd64\n", await DebContents.FieldsAsync(deb, "Package", "Version", "Architecture"));
        Assert.Equal(["-rwxr-xr-x root/root ./usr/bin/hello-cli", "-rwxr-xr-x root/root ./usr/bin/hello-svc"],
            (await DebContents.EntriesAsync(deb)).Where(e => e[0] == '-').Order(StringComparer.Ordinal));
        await AssertInstallsAsync(deb, ("usr/bin/hello-cli", Assets.Cli), ("usr/bin/hello-svc", Assets.Script));
        Assert.Equal(new Uri(_server.BaseUri, "dl/hello-svc-1.0-linux-amd64.tar.gz"), record.Url);
        var pin = Assert.Single(built.Pins);
        Assert.Equal(new LockedBinary("hello-svc", "1.0", "github:acme/hello@v1.0", "hello-svc-1.0-linux-amd64.tar.gz",
            Assets.TarGz().Length, Checksums.Sha256(Assets.TarGz())), pin);
        Assert.Equal(1, _server.Hits("/repos/acme/hello/releases/tags/v1.0"));
        Assert.Equal([null], _authorizations);
    }

    [Fact]
    public async Task Token_from_the_environment_is_sent_as_a_bearer_token_with_a_user_agent()
    {
        var github = GitHubOptions.FromEnvironment(n => n switch
        {
            "GITHUB_TOKEN" => "ghp_test123\n",
            "PIGSTY_GITHUB_API" => _server.BaseUri.ToString().TrimEnd('/'),
            _ => null,
        });

        await Build(Assets.Component(GitHubSource), Options(), github);

        Assert.Equal(_server.BaseUri, github.ApiBase);
        Assert.Equal(["Bearer ghp_test123"], _authorizations);
    }

    [Fact]
    public async Task Latest_release_is_asked_for_by_its_own_endpoint()
    {
        _server.Map("/repos/acme/hello/releases/latest", c => LoopbackHttpServer.Respond(c, 200, ReleaseJson(["hello-svc-1.0-linux-amd64.tar.gz"]), GitHubJson));

        var built = await Build(Assets.Component(GitHubSource.Replace("tag: v1.0\n", "", StringComparison.Ordinal)), Options());

        Assert.Equal("github:acme/hello@latest", Assert.Single(built.Pins).Source);
        Assert.Equal(1, _server.Hits("/repos/acme/hello/releases/latest"));
    }

    [Theory]
    [InlineData(403, "X-RateLimit-Remaining", "0", "; it resets at 2030-03-17 17:46:40 UTC")]
    [InlineData(429, "Retry-After", "60", "; retry after 60 s")]
    public async Task Exhausted_rate_limit_names_the_component_and_when_to_retry_and_is_not_retried(int status, string header, string value, string when)
    {
        _server.Map("/repos/acme/hello/releases/tags/v1.0", c =>
        {
            c.Response.Headers[header] = value;
            if (status == 403)
            {
                c.Response.Headers["X-RateLimit-Reset"] = "1900000000";
            }

            return LoopbackHttpServer.Respond(c, status, "{\"message\":\"API rate limit exceeded\"}"u8.ToArray(), GitHubJson);
        });

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component(GitHubSource), Options(), download: Retrying));

        Assert.Equal($"{Label}: GitHub API rate limit exhausted at GET {_server.BaseUri}repos/acme/hello/releases/tags/v1.0 (HTTP {status}){when} " +
            "(anonymous requests get 60 an hour: set GITHUB_TOKEN)", error.Message);
        Assert.Equal(1, _server.Hits("/repos/acme/hello/releases/tags/v1.0"));
    }

    [Fact]
    public async Task Server_error_on_the_release_lookup_is_retried_like_a_download()
    {
        var calls = 0;
        _server.Map("/repos/acme/hello/releases/tags/v1.0", c => Interlocked.Increment(ref calls) == 1
            ? LoopbackHttpServer.Respond(c, 502, "<html>Bad Gateway</html>"u8.ToArray(), "text/html")
            : LoopbackHttpServer.Respond(c, 200, ReleaseJson(["hello-svc-1.0-linux-amd64.tar.gz"]), GitHubJson));

        var built = await Build(Assets.Component(GitHubSource), Options(), download: Retrying);

        Assert.Equal("hello-svc-1.0-linux-amd64.tar.gz", Assert.Single(built.Pins).Asset);
        Assert.Equal(2, _server.Hits("/repos/acme/hello/releases/tags/v1.0"));
    }

    [Fact]
    public async Task Persistent_server_error_on_the_release_lookup_gives_up_after_the_attempts_naming_repository_and_tag()
    {
        _server.Map("/repos/acme/hello/releases/tags/v1.0", c => LoopbackHttpServer.Respond(c, 503, "{\"message\":\"unavailable\"}"u8.ToArray(), GitHubJson));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component(GitHubSource), Options(), download: Retrying));

        Assert.Equal($"{Label}: GET {_server.BaseUri}repos/acme/hello/releases/tags/v1.0 failed after 3 attempts: HTTP 503", error.Message);
        Assert.Equal(3, _server.Hits("/repos/acme/hello/releases/tags/v1.0"));
        Assert.Equal(0, _server.Hits("/dl/hello-svc-1.0-linux-amd64.tar.gz"));
    }

    [Fact]
    public async Task Not_found_is_not_retried()
    {
        var error = await Assert.ThrowsAsync<UpstreamException>(() =>
            Build(Assets.Component(GitHubSource.Replace("v1.0", "v9.9", StringComparison.Ordinal)), Options(), download: Retrying));

        Assert.Contains("GitHub has no release 'v9.9' in acme/hello", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, _server.Hits("/repos/acme/hello/releases/tags/v9.9"));
    }

    [Fact]
    public async Task Unknown_tag_is_a_404_naming_component_repository_and_tag()
    {
        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component(GitHubSource.Replace("v1.0", "v9.9", StringComparison.Ordinal)), Options()));

        Assert.Equal($"binary hello-svc (github acme/hello release v9.9, asset 'hello-svc-*-linux-amd64.tar.gz'): GitHub has no release 'v9.9' in acme/hello " +
            $"(GET {_server.BaseUri}repos/acme/hello/releases/tags/v9.9: HTTP 404)", error.Message);
        Assert.False(Directory.Exists(Path.Combine(Cache, "debs")));
    }

    [Fact]
    public async Task Unreachable_api_names_the_component_and_the_url()
    {
        var offline = new GitHubOptions { ApiBase = new Uri("http://127.0.0.1:9/") };

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component(GitHubSource), Options(), offline));

        Assert.StartsWith("binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz'): " +
            "GET http://127.0.0.1:9/repos/acme/hello/releases/tags/v1.0 failed: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/plain", "{}", "no JSON body")]
    [InlineData(GitHubJson, "{\"tag_name\":\"v1.0\"}", "no 'assets' array")]
    [InlineData(GitHubJson, "{\"assets\":[{\"name\":\"hello-svc-1.0-linux-amd64.tar.gz\",\"size\":3}]}", "assets[0] needs a 'name', an http(s) 'browser_download_url' and a 'size'")]
    [InlineData(GitHubJson, "{\"assets\":[{\"name\":\"x\",\"browser_download_url\":\"file:///etc/passwd\",\"size\":3}]}", "assets[0] needs a 'name', an http(s) 'browser_download_url' and a 'size'")]
    public async Task Reply_that_is_not_a_usable_release_says_what_is_wrong(string contentType, string body, string problem)
    {
        _server.Map("/repos/acme/hello/releases/tags/v1.0", c => LoopbackHttpServer.Respond(c, 200, System.Text.Encoding.UTF8.GetBytes(body), contentType));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component(GitHubSource), Options()));

        Assert.Equal($"binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz'): " +
            $"GET {_server.BaseUri}repos/acme/hello/releases/tags/v1.0 did not return a release ({problem})", error.Message);
    }

    [Fact]
    public async Task Release_reply_over_8_MiB_is_refused_before_it_is_parsed()
    {
        var padding = new string('x', 8 << 20);
        _server.Map("/repos/acme/hello/releases/tags/v1.0", c =>
            LoopbackHttpServer.Respond(c, 200, JsonSerializer.SerializeToUtf8Bytes(new { body = padding, assets = Array.Empty<object>() }), GitHubJson));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Build(Assets.Component(GitHubSource), Options()));

        Assert.Equal($"binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz'): " +
            $"GET {_server.BaseUri}repos/acme/hello/releases/tags/v1.0 sent more than {8 << 20} bytes", error.Message);
    }

    [Theory]
    [InlineData("'*.deb'", "no asset of release v1.0 matches '*.deb' (assets: hello-svc-1.0-linux-amd64.tar.gz, hello-svc-1.0-linux-arm64.tar.gz, hello-svc-1.0.zip)")]
    [InlineData("'hello-svc-1.0-linux-*.tar.gz'", "2 assets of release v1.0 match 'hello-svc-1.0-linux-*.tar.gz' (hello-svc-1.0-linux-amd64.tar.gz, hello-svc-1.0-linux-arm64.tar.gz); make the pattern match one")]
    public async Task Asset_pattern_must_match_exactly_one_asset(string pattern, string expected)
    {
        var component = Assets.Component(GitHubSource.Replace("'hello-svc-*-linux-amd64.tar.gz'", pattern, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(component, Options()));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("binary hello-svc (github acme/hello", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_url_names_the_component_and_the_url()
    {
        var url = new Uri(_server.BaseUri, "gone/hello-svc");

        var error = await Assert.ThrowsAsync<UpstreamException>(() => Build(Assets.Component($"url: {url}"), Options()));

        Assert.Equal($"binary hello-svc ({url}): GET {url} failed: HTTP 404 Not Found", error.Message);
    }

    [Fact]
    public async Task Asset_that_differs_from_the_lock_pin_stops_the_build_unless_updating()
    {
        var component = Assets.Component(GitHubSource);
        var pinned = Lock(new LockedBinary("hello-svc", "1.0", "github:acme/hello@v1.0", "hello-svc-1.0-linux-amd64.tar.gz", 10, new string('a', 64)));

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Build(component, Options() with { Lock = pinned }));
        var updated = await Build(component, Options() with { Lock = pinned, AcceptChanges = true });

        Assert.Equal($"binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz'): SHA-256 of hello-svc-1.0-linux-amd64.tar.gz " +
            $"({_server.BaseUri}dl/hello-svc-1.0-linux-amd64.tar.gz) is {Checksums.Sha256(Assets.TarGz())}, but {LockPath} (run with --update to accept a new asset) " +
            $"pins {new string('a', 64)}", error.Message);
        Assert.Equal(Checksums.Sha256(Assets.TarGz()), Assert.Single(updated.Pins).Sha256);
    }

    [Fact]
    public async Task Recipe_sha256_must_match_even_when_updating()
    {
        var component = Assets.Component($"url: {_server.BaseUri}dl/hello-svc-1.0.zip\nsha256: {new string('B', 64)}\ninstall: [hello-svc]");

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Build(component, Options() with { AcceptChanges = true }));

        Assert.Contains($"but the recipe's sha256 pins {new string('b', 64)}", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("binary hello-svc (http://127.0.0.1:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Locked_build_without_a_pin_stops_before_any_request()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Build(Assets.Component(GitHubSource), Options() with { RequirePins = true, Lock = Lock() }));

        Assert.Equal($"{LockPath}: --locked needs a pinned SHA-256 for binary hello-svc (github acme/hello release v1.0, asset 'hello-svc-*-linux-amd64.tar.gz') " +
            "version 1.0; build once without --locked (or with --update) to pin it", error.Message);
        Assert.Equal(0, _server.Hits("/repos/acme/hello/releases/tags/v1.0"));
    }

    [Fact]
    public async Task Pinned_asset_in_the_cache_needs_no_network_at_all()
    {
        var component = Assets.Component(GitHubSource);
        var first = await Build(component, Options());
        var offline = new GitHubOptions { ApiBase = new Uri("http://127.0.0.1:9/") };

        var second = await Build(component, Options() with { RequirePins = true, Lock = Lock([.. first.Pins]) }, offline);

        Assert.Equal(1, _server.Hits("/dl/hello-svc-1.0-linux-amd64.tar.gz"));
        Assert.Equal(first.Pins, second.Pins);
        Assert.Equal(first.Records.Single().Sha256, second.Records.Single().Sha256);
    }

    [Fact]
    public async Task Local_file_works_with_no_network_and_its_relative_path_is_anchored_at_the_recipe()
    {
        var recipeDirectory = Directory.CreateDirectory(_temp.File("recipes")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(recipeDirectory, "hello-svc.zip"), Assets.Zip());
        var component = Assets.Component("file: hello-svc.zip\ninstall: { hello-svc: /usr/sbin/hello-svc }", Path.Combine(recipeDirectory, "tiny.yml"));
        var offline = new GitHubOptions { ApiBase = new Uri("http://127.0.0.1:9/") };

        var built = await Build(component, Options(), offline);

        Assert.Equal(new LocalFileSource(Path.Combine(recipeDirectory, "hello-svc.zip")), component.Source);
        Assert.Equal("file:hello-svc.zip", Assert.Single(built.Pins).Source);
        Assert.Equal(Checksums.Sha256(Assets.Zip()), built.Pins[0].Sha256);
        Assert.Equal(new Uri(Path.Combine(recipeDirectory, "hello-svc.zip")), built.Records.Single().Url);
        await AssertInstallsAsync(new PackageCache(Cache).PathFor(built.Records.Single().Sha256), ("usr/sbin/hello-svc", Assets.Script));
    }

    [Fact]
    public async Task Missing_local_file_names_the_component_and_the_path()
    {
        var error = await Assert.ThrowsAsync<InputException>(() => Build(Assets.Component("file: /nonexistent/hello-svc"), Options()));

        Assert.Equal("/nonexistent/hello-svc: binary hello-svc (file /nonexistent/hello-svc): no such file", error.Message);
    }

    [Theory]
    [InlineData("hello-svc-1.0-linux-amd64.tar.gz")]
    [InlineData("hello-svc-1.0.zip")]
    public async Task Archive_members_are_found_by_name_whatever_directory_they_are_in(string asset)
    {
        var component = Assets.Component($"url: {_server.BaseUri}dl/{asset}\ninstall: [hello-svc, bin/hello-cli]");

        var record = (await Build(component, Options())).Records.Single();

        await AssertInstallsAsync(new PackageCache(Cache).PathFor(record.Sha256), ("usr/bin/hello-cli", Assets.Cli), ("usr/bin/hello-svc", Assets.Script));
    }

    [Theory]
    [InlineData("install: [nothing-here]", "the archive has no file 'nothing-here'")]
    [InlineData("install: [hello-svc, bin/hello-cli, README, hello-svc-1.0/README]", "installs two files as /usr/bin/README")]
    [InlineData("install: { bin/hello-svc: /usr/bin/a, hello-svc-1.0/bin/hello-svc: /usr/bin/b }", "")]
    public async Task Archive_members_must_each_match_one_file(string install, string expected)
    {
        if (expected.StartsWith("installs", StringComparison.Ordinal))
        {
            Assert.Contains(expected, Assert.Throws<InputException>(() => Assets.Component($"url: {_server.BaseUri}dl/hello-svc-1.0.zip\n{install}")).Message,
                StringComparison.Ordinal);
            return;
        }

        var component = Assets.Component($"url: {_server.BaseUri}dl/hello-svc-1.0-linux-amd64.tar.gz\n{install}");
        if (expected.Length == 0)
        {
            var record = Assert.Single((await Build(component, Options())).Records);
            await AssertInstallsAsync(new PackageCache(Cache).PathFor(record.Sha256), ("usr/bin/a", Assets.Script), ("usr/bin/b", Assets.Script));
            return;
        }

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Build(component, Options()));
        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bare_asset_named_like_an_archive_member_list_is_refused()
    {
        _server.MapBytes("/dl/hello-svc", Assets.Script);

        var error = await Assert.ThrowsAsync<IntegrityException>(() => Build(Assets.Component($"url: {_server.BaseUri}dl/hello-svc\ninstall: [hello-svc]"), Options()));

        Assert.Contains("the asset is not a .tar.gz, .tar.xz, .tar.zst or .zip archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pins_of_disabled_components_are_kept_and_of_removed_ones_dropped()
    {
        var old = Lock(new LockedBinary("hello-svc", "0.9", "url:x", "a", 1, new string('1', 64)), new LockedBinary("gone", "1", "url:y", "b", 1, new string('2', 64)));
        var hello = Assets.Component("file: /x");

        Assert.Equal(["hello-svc=0.9 (a, sha256 " + new string('1', 64) + ")"], BinaryPackages.MergePins(old, [hello with { Enabled = false }], [])!.Select(p => p.ToString()));
        Assert.Null(BinaryPackages.MergePins(old, [], []));
    }

    /// <summary>The .deb installs exactly these files (under their paths, executable, owned by root) with exactly these bytes.</summary>
    private async Task AssertInstallsAsync(string deb, params (string Path, byte[] Content)[] files)
    {
        Assert.Equal(files.Select(f => $"-rwxr-xr-x root/root ./{f.Path}").Order(StringComparer.Ordinal),
            (await DebContents.EntriesAsync(deb)).Where(e => e[0] == '-').Order(StringComparer.Ordinal));
        var extracted = await DebContents.FilesAsync(deb, Directory.CreateDirectory(_temp.File($"extracted-{Guid.NewGuid():N}")).FullName);
        Assert.Equal(files.Select(f => f.Path).Order(StringComparer.Ordinal), extracted.Select(f => f.Path));
        foreach (var (path, content) in files)
        {
            Assert.Equal(content, extracted.Single(f => f.Path == path).Content);
        }
    }

    private static BinaryBuildOptions Options() => new() { Architecture = "amd64", CacheDirectory = "", LockPath = "" };

    private LockFile Lock(params LockedBinary[] pins) => new("tiny", "amd64", [], []) { Binaries = pins };

    private Task<BinaryBuild> Build(BinarySpec component, BinaryBuildOptions options, GitHubOptions? github = null, DownloadOptions? download = null) =>
        new BinaryPackages(new Downloader(_http, NullLogger<Downloader>.Instance, download ?? new DownloadOptions { Attempts = 1 }),
                github ?? new GitHubOptions { ApiBase = _server.BaseUri }, NullLogger<BinaryPackages>.Instance)
            .BuildAsync([component], options with { CacheDirectory = Cache, LockPath = LockPath }, CancellationToken.None);

    private void ServeRelease(string tag, string[] assets)
    {
        _server.Map($"/repos/acme/hello/releases/tags/{tag}", context =>
        {
            _authorizations.Enqueue(context.Request.Headers["Authorization"]);
            return context.Request.Headers["User-Agent"] is { Length: > 0 } && context.Request.Headers["Accept"] == "application/vnd.github+json"
                ? LoopbackHttpServer.Respond(context, 200, ReleaseJson(assets), GitHubJson)
                : LoopbackHttpServer.Respond(context, 403, "{\"message\":\"no User-Agent\"}"u8.ToArray(), GitHubJson);
        });
        foreach (var asset in assets)
        {
            _server.MapBytes($"/dl/{asset}", asset.EndsWith(".zip", StringComparison.Ordinal) ? Assets.Zip() : Assets.TarGz());
        }
    }

    private byte[] ReleaseJson(string[] assets) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        tag_name = "v1.0",
        assets = assets.Select(a => new
        {
            name = a,
            browser_download_url = new Uri(_server.BaseUri, $"dl/{a}").ToString(),
            size = (a.EndsWith(".zip", StringComparison.Ordinal) ? Assets.Zip() : Assets.TarGz()).Length,
        }),
    });
}
