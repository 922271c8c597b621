using System.Globalization;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;

/// <summary>YAML scalars for the files we write: numbers plain, everything else single-quoted (so "on" stays a string).</summary>
internal static partial class Yaml
{
    public static string Scalar(string value) =>
        Number().IsMatch(value) ? value : "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Scalar(long value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^-?[0-9]+(\.[0-9]+)?$")]
    private static partial Regex Number();
}
