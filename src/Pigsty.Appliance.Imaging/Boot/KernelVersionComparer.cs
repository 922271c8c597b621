using System.Globalization;

namespace Pigsty.Appliance.Imaging.Boot;

/// <summary>Orders kernel versions like <c>6.1.0-9-amd64</c> &lt; <c>6.1.0-28-amd64</c>: runs of digits compare as numbers.</summary>
internal sealed class KernelVersionComparer : IComparer<string>
{
    public static KernelVersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        var a = Split(x ?? "");
        var b = Split(y ?? "");
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var order = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
                && long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? m.CompareTo(n)
                : string.CompareOrdinal(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private static List<string> Split(string version)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 1; i <= version.Length; i++)
        {
            if (i == version.Length || char.IsAsciiDigit(version[i]) != char.IsAsciiDigit(version[i - 1]))
            {
                parts.Add(version[start..i]);
                start = i;
            }
        }

        return parts;
    }
}
