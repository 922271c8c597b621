using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>The build host's apt sources (deb822 <c>*.sources</c> and one-line <c>*.list</c>), used to find the Debian mirror without naming it.</summary>
public sealed class HostAptSources(IReadOnlyList<HostAptEntry> entries)
{
    /// <summary>Debian's archive keyring, the default when an entry names none.</summary>
    public const string DebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

    private static readonly char[] Blanks = [' ', '\t', '\n'];

    /// <summary>Every enabled <c>deb</c> entry, in apt's reading order.</summary>
    public IReadOnlyList<HostAptEntry> Entries { get; } = entries;

    /// <summary>Reads <c>etc/apt/sources.list</c> and <c>etc/apt/sources.list.d/*.list|*.sources</c> under <paramref name="root"/>.</summary>
    public static HostAptSources Load(string root = "/")
    {
        var etc = Path.Combine(root, "etc/apt");
        var entries = new List<HostAptEntry>();
        var list = Path.Combine(etc, "sources.list");
        if (File.Exists(list))
        {
            entries.AddRange(ParseOneLine(File.ReadAllText(list), list));
        }

        var parts = Path.Combine(etc, "sources.list.d");
        if (Directory.Exists(parts))
        {
            foreach (var file in Directory.GetFiles(parts).Order(StringComparer.Ordinal))
            {
                if (file.EndsWith(".list", StringComparison.Ordinal))
                {
                    entries.AddRange(ParseOneLine(File.ReadAllText(file), file));
                }
                else if (file.EndsWith(".sources", StringComparison.Ordinal))
                {
                    entries.AddRange(ParseDeb822(File.ReadAllText(file), file));
                }
            }
        }

        return new HostAptSources(entries);
    }

    /// <summary>Parses deb822 <c>.sources</c> text; stanzas without <c>deb</c> in Types, or with <c>Enabled: no</c>, are left out.</summary>
    public static IReadOnlyList<HostAptEntry> ParseDeb822(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<ControlStanza> stanzas;
        try
        {
            stanzas = ControlStanza.ParseAll(new StringReader(text)).ToList();
        }
        catch (FormatException e)
        {
            throw new InputException(file, e.Message);
        }

        var entries = new List<HostAptEntry>();
        foreach (var stanza in stanzas)
        {
            var types = Words(stanza["Types"]);
            if (!types.Contains("deb") || string.Equals(stanza["Enabled"], "no", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var uris = Words(stanza["URIs"]);
            var suites = Words(stanza["Suites"]);
            if (uris.Count == 0 || suites.Count == 0)
            {
                throw new InputException(file, $"a 'deb' entry needs URIs and Suites (types: {stanza["Types"]})");
            }

            var components = Words(stanza["Components"]);
            if (suites.Any(s => !s.EndsWith('/')) && components.Count == 0)
            {
                throw new InputException(file, $"suites {string.Join(' ', suites)} need Components");
            }

            var signedBy = KeyringPath(stanza["Signed-By"]);
            var architectures = Words(stanza["Architectures"]);
            entries.AddRange(uris.Select(uri => new HostAptEntry(ToBaseUri(uri, file), suites, components, signedBy, architectures, file)));
        }

        return entries;
    }

    /// <summary>Parses one-line <c>sources.list</c> text: <c>deb [opt=value …] uri suite [component …]</c>; comments and deb-src skipped.</summary>
    public static IReadOnlyList<HostAptEntry> ParseOneLine(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<HostAptEntry>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var problem = new InputException(new InputProblem(new(file, lineNumber, 1), "",
                $"expected 'deb [options] uri suite [component …]', got '{line}'"));
            var space = line.IndexOfAny(Blanks);
            if (space < 0)
            {
                throw problem;
            }

            var type = line[..space];
            var rest = line[space..].TrimStart();
            var optionText = "";
            if (rest.StartsWith('['))
            {
                var close = rest.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw problem;
                }

                optionText = rest[1..close];
                rest = rest[(close + 1)..];
            }

            if (type == "deb-src")
            {
                continue;
            }

            var words = Words(rest);
            if (type != "deb" || words.Count < 2 || (!words[1].EndsWith('/') && words.Count < 3))
            {
                throw problem;
            }

            var options = Words(optionText)
                .Select(o => o.Split('=', 2))
                .Where(o => o.Length == 2)
                .ToDictionary(o => o[0].TrimEnd('+', '-'), o => o[1], StringComparer.OrdinalIgnoreCase);
            if (options.TryGetValue("enabled", out var enabled) && enabled == "no")
            {
                continue;
            }

            entries.Add(new HostAptEntry(ToBaseUri(words[0], file), [words[1]], words.Skip(2).ToList(),
                KeyringPath(options.GetValueOrDefault("signed-by")),
                options.TryGetValue("arch", out var arch) ? arch.Split(',') : [], file));
        }

        return entries;
    }

    /// <summary>The first entry serving <paramref name="suite"/>, or null.</summary>
    public HostAptEntry? FindSuite(string suite) =>
        Entries.FirstOrDefault(e => e.Suites.Contains(suite, StringComparer.Ordinal));

    /// <summary>An <see cref="AptSource"/> for <paramref name="suite"/> from the host's entry serving it; throws when none does.</summary>
    /// <param name="components">Components to read; null means those the host entry lists.</param>
    /// <param name="via">The suite whose host entry gives the mirror (another release of the same archive), null = <paramref name="suite"/> itself.</param>
    public AptSource ToSource(string upstream, string suite, string architecture, IReadOnlyList<string>? components = null, string? via = null)
    {
        var lookup = via ?? suite;
        var entry = FindSuite(lookup) ?? throw new UsageException(
            $"upstream '{upstream}': no apt source on this host serves suite '{lookup}' " +
            $"(looked in /etc/apt/sources.list and /etc/apt/sources.list.d; found {Describe()}); give the mirror URL explicitly");
        return new AptSource(upstream, entry.Uri, suite, components ?? entry.Components, architecture, entry.SignedBy ?? DebianKeyring);
    }

    private string Describe() => Entries.Count == 0
        ? "no entries"
        : string.Join(", ", Entries.SelectMany(e => e.Suites).Distinct(StringComparer.Ordinal));

    private static List<string> Words(string? text) =>
        text is null ? [] : [.. text.Split(Blanks, StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>Signed-By may name keyring files or hold an inline key block; only a file is usable by gpgv.</summary>
    private static string? KeyringPath(string? signedBy) =>
        signedBy is null || signedBy.Contains("BEGIN PGP", StringComparison.Ordinal)
            ? null
            : signedBy.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(p => p.StartsWith('/'));

    private static Uri ToBaseUri(string text, string file)
    {
        var withSlash = text.EndsWith('/') ? text : text + "/";
        if (withSlash.StartsWith("file:/", StringComparison.Ordinal) && !withSlash.StartsWith("file://", StringComparison.Ordinal))
        {
            // apt writes local repositories as file:/path; System.Uri wants file:///path.
            withSlash = "file://" + withSlash["file:".Length..];
        }

        return Uri.TryCreate(withSlash, UriKind.Absolute, out var uri)
            ? uri
            : throw new InputException(file, $"'{text}' is not an absolute URI");
    }
}
