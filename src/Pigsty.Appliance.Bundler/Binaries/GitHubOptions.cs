namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>How the GitHub REST API is reached: base URL (a loopback fake in tests), optional token, User-Agent.</summary>
public sealed record GitHubOptions
{
    /// <summary>The public API.</summary>
    public static readonly Uri PublicApi = new("https://api.github.com/");

    /// <summary>The API root, ending with '/', used as given (a GitHub Enterprise root includes its <c>api/v3/</c>).</summary>
    public Uri ApiBase { get; init; } = PublicApi;

    /// <summary>A token sent as <c>Authorization: Bearer</c>, or null for anonymous requests (60 an hour).</summary>
    public string? Token { get; init; }

    /// <summary>The product token that leads the User-Agent Octokit sends (GitHub refuses requests without one).</summary>
    public string UserAgent { get; init; } = "pigsty-appliance";

    /// <summary>From <c>PIGSTY_GITHUB_API</c> (API base URL) and <c>GITHUB_TOKEN</c>; <paramref name="variable"/> reads the environment.</summary>
    public static GitHubOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var options = new GitHubOptions { Token = variable("GITHUB_TOKEN") is { Length: > 0 } token ? token.Trim() : null };
        if (variable("PIGSTY_GITHUB_API") is { Length: > 0 } api)
        {
            options = Uri.TryCreate(api, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? options with { ApiBase = new Uri(uri.AbsoluteUri.TrimEnd('/') + "/") }
                : throw new Core.Errors.UsageException($"PIGSTY_GITHUB_API '{api}' is not an http(s) URL");
        }

        return options;
    }
}
