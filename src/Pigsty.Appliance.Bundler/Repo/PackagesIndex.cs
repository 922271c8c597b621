using System.Globalization;
using System.Text;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Repo;

/// <summary>Renders the flat repo's <c>Packages</c> file from the signed index stanzas, never from the .deb files.</summary>
public static class PackagesIndex
{
    /// <summary>Hash fields we did not verify: dropped so the index only vouches for what the fetch checked (Size, SHA256);
    /// packages built here keep them (we computed them).</summary>
    public static readonly IReadOnlyList<string> DroppedFields = ["MD5sum", "SHA1", "SHA512"];

    /// <summary>Each package's stanza in the given order, with <c>Filename: ./name</c> and Size/SHA256 from the record.</summary>
    public static string Render(IReadOnlyList<PackageRecord> packages)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var text = new StringBuilder(packages.Count * 1024);
        foreach (var package in packages)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            Entry(package).WriteTo(text);
        }

        return text.ToString();
    }

    /// <summary>The stanza one package gets in our index.</summary>
    public static ControlStanza Entry(PackageRecord package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Stanza
            .With("Filename", "./" + package.DebFileName)
            .With("Size", package.Size.ToString(CultureInfo.InvariantCulture))
            .With("SHA256", package.Sha256.ToLowerInvariant())
            .Without(package.Source.BuiltHere ? [] : [.. DroppedFields]);
    }
}
