namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>Where a binary component's asset comes from; exactly one kind per component.</summary>
public abstract record BinarySource
{
    /// <summary>How the lock file names the source: host-independent (a local file is named by its file name only).</summary>
    public abstract string LockLabel { get; }

    /// <summary>A source from command-line text: an http(s) URL, else a local path (relative to the working directory).</summary>
    public static BinarySource FromText(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? new UrlSource(uri)
            : new LocalFileSource(System.IO.Path.GetFullPath(text));
}
