using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Repository.Apt;

/// <summary>The verified content of a suite's (In)Release: identity, validity window and the SHA-256 of every index file.</summary>
/// <param name="Suite">The <c>Suite</c> field (e.g. <c>oldstable</c>), or null.</param>
/// <param name="Codename">The <c>Codename</c> field (e.g. <c>bookworm</c>), or null.</param>
/// <param name="Date">When the archive generated this Release.</param>
/// <param name="ValidUntil">After this instant apt refuses the Release; null when the archive sets no limit.</param>
/// <param name="AcquireByHash">True when index files may be fetched under <c>by-hash/SHA256/</c>.</param>
/// <param name="Files">Index files by path relative to the suite directory.</param>
/// <param name="Stanza">The whole Release paragraph.</param>
public sealed record ReleaseFile(
    string? Suite,
    string? Codename,
    DateTimeOffset Date,
    DateTimeOffset? ValidUntil,
    bool AcquireByHash,
    IReadOnlyDictionary<string, ReleaseEntry> Files,
    ControlStanza Stanza)
{
    private static readonly string[] DateFormats = ["ddd, d MMM yyyy HH:mm:ss", "d MMM yyyy HH:mm:ss"];

    /// <summary>Parses verified Release text; false with a reason when a field is missing or malformed.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out ReleaseFile? release, [NotNullWhen(false)] out string? error)
    {
        release = null;
        List<ControlStanza> stanzas;
        try
        {
            stanzas = ControlStanza.ParseAll(new StringReader(text)).ToList();
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }

        if (stanzas.Count != 1)
        {
            error = $"expected one paragraph, found {stanzas.Count}";
            return false;
        }

        var stanza = stanzas[0];
        if (!TryParseDate(stanza["Date"], out var date))
        {
            error = $"Date '{stanza["Date"]}' is missing or not an RFC 2822 date";
            return false;
        }

        DateTimeOffset? validUntil = null;
        if (stanza["Valid-Until"] is { } validText)
        {
            if (!TryParseDate(validText, out var until))
            {
                error = $"Valid-Until '{validText}' is not an RFC 2822 date";
                return false;
            }

            validUntil = until;
        }

        var files = new Dictionary<string, ReleaseEntry>(StringComparer.Ordinal);
        foreach (var line in (stanza["SHA256"] ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !Checksums.IsSha256(parts[0])
                || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                error = $"SHA256 line '{line}' is not 'digest size path'";
                return false;
            }

            files[parts[2]] = new ReleaseEntry(parts[2], size, parts[0].ToLowerInvariant());
        }

        if (files.Count == 0)
        {
            error = "there is no SHA256 file list";
            return false;
        }

        release = new ReleaseFile(stanza["Suite"], stanza["Codename"], date, validUntil,
            string.Equals(stanza["Acquire-By-Hash"], "yes", StringComparison.OrdinalIgnoreCase), files, stanza);
        error = null;
        return true;
    }

    /// <summary>Parses the RFC 2822 dates of Release files, e.g. <c>Sat, 11 Jul 2026 10:16:37 UTC</c> or <c>… +0000</c>.</summary>
    public static bool TryParseDate(string? text, out DateTimeOffset date)
    {
        date = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var space = trimmed.LastIndexOf(' ');
        if (space < 0)
        {
            return false;
        }

        var zone = trimmed[(space + 1)..];
        TimeSpan offset;
        if (zone is "UTC" or "GMT" or "Z" or "UT")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 5 && zone[0] is '+' or '-' && zone[1..].All(char.IsAsciiDigit))
        {
            offset = new TimeSpan(int.Parse(zone[1..3], CultureInfo.InvariantCulture), int.Parse(zone[3..], CultureInfo.InvariantCulture), 0);
            offset = zone[0] == '-' ? -offset : offset;
        }
        else
        {
            return false;
        }

        if (!DateTime.TryParseExact(trimmed[..space], DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        date = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset).ToUniversalTime();
        return true;
    }
}
