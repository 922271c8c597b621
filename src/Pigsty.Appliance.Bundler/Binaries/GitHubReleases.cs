using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Net;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Finds a release asset through the GitHub REST API (<c>/repos/{owner}/{repo}/releases/tags/{tag}</c> or <c>/releases/latest</c>).</summary>
public sealed class GitHubReleases(Downloader downloader, GitHubOptions options)
{
    /// <summary>A release JSON larger than this is refused (real ones are tens of KiB).</summary>
    private const long MaxReleaseBytes = 8 << 20;

    /// <summary>The one asset of the release whose name matches the source's glob; none or several is an error naming the component.</summary>
    public async Task<ReleaseAsset> FindAssetAsync(BinarySpec component, GitHubReleaseSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(source);
        var path = source.Tag == GitHubReleaseSource.Latest
            ? $"repos/{source.Owner}/{source.Repository}/releases/latest"
            : $"repos/{source.Owner}/{source.Repository}/releases/tags/{Uri.EscapeDataString(source.Tag)}";
        var uri = new Uri(options.ApiBase, path);
        var reply = await downloader.GetReplyAsync(uri, Headers(), MaxReleaseBytes, component.Label, cancellationToken);
        if (!reply.IsSuccess)
        {
            throw Failure(component, source, uri, reply);
        }

        if (!TryParseAssets(reply.Body, out var assets, out var problem))
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

    /// <summary>Reads the <c>assets</c> of a release object; false with the reason when the JSON is not one.</summary>
    public static bool TryParseAssets(byte[] json, out IReadOnlyList<ReleaseAsset> assets, out string? problem)
    {
        var list = new List<ReleaseAsset>();
        assets = list;
        problem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("assets", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                problem = "no 'assets' array";
                return false;
            }

            foreach (var item in array.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object
                    || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !item.TryGetProperty("browser_download_url", out var url) || url.ValueKind != JsonValueKind.String
                    || !Uri.TryCreate(url.GetString(), UriKind.Absolute, out var download) || download.Scheme is not ("http" or "https")
                    || !item.TryGetProperty("size", out var size) || !size.TryGetInt64(out var length) || length < 0)
                {
                    problem = $"assets[{list.Count}] needs a string 'name', an http(s) 'browser_download_url' and a 'size'";
                    return false;
                }

                list.Add(new ReleaseAsset(name.GetString()!, download, length));
            }

            return true;
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return false;
        }
    }

    /// <summary>A glob (<c>*</c>, <c>?</c>) on a whole asset name as a regex.</summary>
    public static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private Dictionary<string, string> Headers()
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Accept"] = "application/vnd.github+json",
            ["X-GitHub-Api-Version"] = "2022-11-28",
            ["User-Agent"] = options.UserAgent,
        };
        if (options.Token is { } token)
        {
            headers["Authorization"] = $"Bearer {token}";
        }

        return headers;
    }

    private Exception Failure(BinarySpec component, GitHubReleaseSource source, Uri uri, HttpReply reply)
    {
        var status = $"HTTP {(int)reply.Status}";
        var rateLimited = reply.Status is HttpStatusCode.TooManyRequests
            || (reply.Status is HttpStatusCode.Forbidden && reply.Header("X-RateLimit-Remaining") == "0");
        if (rateLimited)
        {
            var reset = long.TryParse(reply.Header("X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
                ? "; it resets at " + DateTimeOffset.FromUnixTimeSeconds(epoch).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC"
                : reply.Header("Retry-After") is { } after ? $"; retry after {after} s" : "";
            var hint = options.Token is null ? " (anonymous requests get 60 an hour: set GITHUB_TOKEN)" : "";
            return new UpstreamException($"{component.Label}: GitHub API rate limit exhausted at GET {uri} ({status}){reset}{hint}");
        }

        return reply.Status switch
        {
            HttpStatusCode.NotFound => new UpstreamException(
                $"{component.Label}: GitHub has no release '{source.Tag}' in {source.Owner}/{source.Repository} (GET {uri}: {status})"),
            HttpStatusCode.Unauthorized => new UpstreamException($"{component.Label}: GitHub refused the token in GITHUB_TOKEN (GET {uri}: {status})"),
            _ => new UpstreamException($"{component.Label}: GET {uri} failed: {status}"),
        };
    }
}
