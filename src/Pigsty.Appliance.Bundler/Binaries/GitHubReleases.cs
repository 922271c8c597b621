using System.Globalization;
using System.Net;
using System.Runtime.Serialization;
using System.Text.RegularExpressions;
using Octokit;
using Octokit.Internal;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Net;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Finds a release asset through the GitHub REST API with Octokit (release by tag, or the latest release); the asset itself
/// is downloaded by the caller through <see cref="Core.Net.Downloader"/>.</summary>
public sealed class GitHubReleases : IDisposable
{
    /// <summary>A release JSON larger than this is refused (real ones are tens of KiB).</summary>
    private const long MaxReleaseBytes = 8 << 20;

    /// <summary>GitHub's documented media type for its REST API (Octokit would send the older <c>application/vnd.github.v3+json</c>).</summary>
    private const string MediaType = "application/vnd.github+json";

    private readonly GitHubOptions _options;
    private readonly RetryPolicy _retry;
    private readonly HttpClientAdapter _http;
    private readonly Connection _connection;

    /// <summary>A client of the API at <see cref="GitHubOptions.ApiBase"/>, taken as given: Octokit's own constructor would append
    /// <c>api/v3/</c> to any host but api.github.com.</summary>
    /// <param name="retry">The downloads' retry policy: a network error or a 5xx reply is tried again as a download would be.</param>
    public GitHubReleases(GitHubOptions options, RetryPolicy retry)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retry);
        _options = options;
        _retry = retry;
        _http = new HttpClientAdapter(() => new ResponseSizeLimit(MaxReleaseBytes) { InnerHandler = HttpMessageHandlerFactory.CreateDefault() });
        var credentials = options.Token is { } token ? new Credentials(token, AuthenticationType.Bearer) : Credentials.Anonymous;
        _connection = new Connection(new ProductHeaderValue(options.UserAgent), options.ApiBase, new InMemoryCredentialStore(credentials),
            _http, new SimpleJsonSerializer());
    }

    /// <summary>The one asset of the release whose name matches the source's glob; none or several is an error naming the component.</summary>
    public async Task<ReleaseAsset> FindAssetAsync(BinarySpec component, GitHubReleaseSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(source);
        var endpoint = source.Tag == GitHubReleaseSource.Latest
            ? ApiUrls.LatestRelease(source.Owner, source.Repository)
            : ApiUrls.Releases(source.Owner, source.Repository, Uri.EscapeDataString(source.Tag));
        var uri = new Uri(_options.ApiBase, endpoint);
        var release = await _retry.RunAsync(uri, async _ =>
        {
            try
            {
                return (await _connection.Get<Release>(endpoint, null, MediaType, cancellationToken)).Body;
            }
            catch (ApiException e) when ((int)e.StatusCode >= 500)
            {
                // A server error goes to the policy as the HttpRequestException a download would see, so it is retried the same way;
                // a rate limit (403, 429) stays an ApiException and is not: retrying it only spends what is left of the limit.
                throw new HttpRequestException($"HTTP {(int)e.StatusCode}", e, e.StatusCode);
            }
        }, (e, attempts) => Failure(component, source, uri, e, attempts, cancellationToken), cancellationToken);

        if (!TryReadAssets(release, out var assets, out var problem))
        {
            throw new UpstreamException($"{component.Label}: GET {uri} did not return a release ({problem})");
        }

        var pattern = Glob(source.AssetPattern);
        var matches = assets.Where(a => pattern.IsMatch(a.Name)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new UpstreamException($"{component.Label}: no asset of release {source.Tag} matches '{source.AssetPattern}' " +
                $"(assets: {(assets.Count == 0 ? "none" : string.Join(", ", assets.Select(a => a.Name)))})"),
            _ => throw new UpstreamException($"{component.Label}: {matches.Count} assets of release {source.Tag} match '{source.AssetPattern}' " +
                $"({string.Join(", ", matches.Select(a => a.Name))}); make the pattern match one"),
        };
    }

    /// <summary>The assets of a release as Octokit read it; false with the reason when the reply was not a usable release.</summary>
    public static bool TryReadAssets(Release? release, out IReadOnlyList<ReleaseAsset> assets, out string? problem)
    {
        var list = new List<ReleaseAsset>();
        assets = list;
        problem = null;
        if (release?.Assets is not { } items)
        {
            problem = release is null ? "no JSON body" : "no 'assets' array";
            return false;
        }

        foreach (var item in items)
        {
            if (item is null || string.IsNullOrEmpty(item.Name)
                || !Uri.TryCreate(item.BrowserDownloadUrl, UriKind.Absolute, out var download) || download.Scheme is not ("http" or "https")
                || item.Size < 0)
            {
                problem = $"assets[{list.Count}] needs a 'name', an http(s) 'browser_download_url' and a 'size'";
                return false;
            }

            list.Add(new ReleaseAsset(item.Name, download, item.Size));
        }

        return true;
    }

    /// <summary>A glob (<c>*</c>, <c>?</c>) on a whole asset name as a regex.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    public void Dispose() => _http.Dispose();

    /// <summary>The error a lookup ends with, naming the component (and so the repository and tag) and the URL.</summary>
    private Exception Failure(BinarySpec component, GitHubReleaseSource source, Uri uri, Exception error, int attempts,
        CancellationToken cancellationToken)
    {
        var tries = attempts > 1 ? $" after {attempts} attempts" : "";
        switch (error)
        {
            case ApiException api:
                return Failure(component, source, uri, api);
            case SerializationException:
                return new UpstreamException($"{component.Label}: GET {uri} did not return a release ({error.Message})", error);
            case IntegrityException:
                return new IntegrityException($"{component.Label}: {error.Message}");
            case HttpRequestException or IOException:
            case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                return new UpstreamException($"{component.Label}: GET {uri} failed{tries}: {error.Message}", error);
            default:
                return error;
        }
    }

    private Exception Failure(BinarySpec component, GitHubReleaseSource source, Uri uri, ApiException e)
    {
        var status = $"HTTP {(int)e.StatusCode}";
        string? Header(string name) =>
            e.HttpResponse?.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        // Judged by status and headers as GitHub documents them, not by Octokit's reading of the message text.
        var rateLimited = e.StatusCode is HttpStatusCode.TooManyRequests
            || (e.StatusCode is HttpStatusCode.Forbidden && Header("X-RateLimit-Remaining") == "0");
        if (rateLimited)
        {
            var reset = long.TryParse(Header("X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                ? "; it resets at " + DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
                : Header("Retry-After") is { } after ? $"; retry after {after} s" : "";
            var hint = _options.Token is null ? " (anonymous requests get 60 an hour: set GITHUB_TOKEN)" : "";
            return new UpstreamException($"{component.Label}: GitHub API rate limit exhausted at GET {uri} ({status}){reset}{hint}", e);
        }

        return e.StatusCode switch
        {
            HttpStatusCode.NotFound => new UpstreamException(
                $"{component.Label}: GitHub has no release '{source.Tag}' in {source.Owner}/{source.Repository} (GET {uri}: {status})", e),
            HttpStatusCode.Unauthorized => new UpstreamException($"{component.Label}: GitHub refused the token in GITHUB_TOKEN (GET {uri}: {status})", e),
            _ => new UpstreamException($"{component.Label}: GET {uri} failed: {status}", e),
        };
    }
}
