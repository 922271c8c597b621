namespace Pigsty.Appliance.Imaging.Tests.Proof;

/// <summary>
/// The Debian mirrors this host's apt uses, read at run time from its deb822 sources file, so that no mirror host name is
/// ever written into the repository.
/// </summary>
internal static class HostAptSources
{
    public const string SourcesFile = "/etc/apt/sources.list.d/debian.sources";

    /// <summary>One-line sources (<c>deb URI SUITE COMPONENTS</c>) for each URI and suite of every <c>deb</c> stanza.</summary>
    public static IReadOnlyList<string> DebLines()
    {
        if (!File.Exists(SourcesFile))
        {
            throw new FileNotFoundException($"the boot proof builds its rootfs from the host's Debian mirror, but {SourcesFile} does not exist", SourcesFile);
        }

        var lines = new List<string>();
        foreach (var stanza in File.ReadAllText(SourcesFile).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = stanza.Split('\n')
                .Where(l => !l.StartsWith('#') && l.Contains(':', StringComparison.Ordinal) && !char.IsWhiteSpace(l[0]))
                .Select(l => l.Split(':', 2))
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
            if (!fields.TryGetValue("Types", out var types) || !types.Contains("deb")
                || !fields.TryGetValue("URIs", out var uris) || !fields.TryGetValue("Suites", out var suites))
            {
                continue;
            }

            var components = fields.TryGetValue("Components", out var c) ? string.Join(' ', c) : "main";
            lines.AddRange(from uri in uris from suite in suites select $"deb {uri} {suite} {components}");
        }

        return lines.Count > 0 ? lines : throw new InvalidDataException($"{SourcesFile} has no 'deb' stanza with URIs and Suites");
    }
}
