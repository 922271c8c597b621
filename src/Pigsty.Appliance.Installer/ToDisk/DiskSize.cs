using System.Globalization;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>Disk sizes as people write and read them: <c>32GiB</c>, <c>32G</c> (also GiB), <c>500GB</c> (decimal), plain bytes.</summary>
public static partial class DiskSize
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>Parses a size; single letters (<c>G</c>) are binary like the tools' <c>32G</c>, <c>GB</c> is decimal, <c>GiB</c> binary.</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text ?? "");
        if (!match.Success
            || !decimal.TryParse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        var unit = match.Groups[2].Value.ToUpperInvariant();
        var power = unit.Length == 0 ? 0 : "BKMGTP".IndexOf(unit[0], StringComparison.Ordinal);
        var factor = unit.Length == 2 && unit[1] == 'B' && unit[0] != 'B' ? Pow(1000m, power) : Pow(1024m, power);
        if (count > long.MaxValue / factor)
        {
            return false;
        }

        bytes = (long)decimal.Floor(count * factor);
        return true;
    }

    /// <summary>A size for messages, in the largest binary unit it fills: <c>32 GiB</c>, <c>465.7 GiB</c>, <c>512 B</c>.</summary>
    public static string Format(long bytes)
    {
        var value = (decimal)bytes;
        var unit = 0;
        while (unit < Units.Length - 1 && Math.Abs(value) >= 1024)
        {
            value /= 1024;
            unit++;
        }

        return $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {Units[unit]}";
    }

    private static decimal Pow(decimal radix, int power)
    {
        var result = 1m;
        for (var i = 0; i < power; i++)
        {
            result *= radix;
        }

        return result;
    }

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*(B|[KMGTP](?:i?B)?)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
