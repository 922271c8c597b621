using System.Globalization;
using System.Text;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>Renders the flat repo's <c>Release</c>: identity fields, date, architectures and the SHA-256 of each index file.</summary>
public static class ReleaseWriter
{
    /// <summary>The date form apt expects in Release files (RFC 1123, always UTC).</summary>
    public static string FormatDate(DateTimeOffset date) =>
        date.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The Release text for <paramref name="indexes"/> (paths relative to the repo root).</summary>
    public static string Render(RepoOptions options, IEnumerable<string> architectures, IReadOnlyList<RepoFile> indexes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(indexes);
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Origin", options.Origin),
            new("Label", options.Label),
            new("Suite", options.Suite),
            new("Codename", options.Codename),
            new("Date", FormatDate(options.Date)),
            new("Architectures", string.Join(' ', architectures.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))),
        };
        if (options.Description is { Length: > 0 } description)
        {
            fields.Add(new("Description", description));
        }

        var sha256 = new StringBuilder();
        foreach (var file in indexes)
        {
            sha256.Append('\n').Append(CultureInfo.InvariantCulture, $"{file.Sha256} {file.Size,16} {file.Name}");
        }

        fields.Add(new("SHA256", sha256.ToString()));
        var text = new StringBuilder();
        new ControlStanza(fields).WriteTo(text);
        return text.ToString();
    }
}
