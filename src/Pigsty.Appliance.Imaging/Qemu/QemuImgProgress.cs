using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>
/// Reads what <c>qemu-img convert -p</c> prints, <c>"    (12.34/100%)\r"</c> redrawn in place and a newline at the end, from
/// pieces that may split a report anywhere, and reports each percentage higher than the last.
/// </summary>
public sealed partial class QemuImgProgress(IProgress<double> progress)
{
    private readonly StringBuilder _pending = new();
    private double _last = -1;

    /// <summary>Takes the next piece of standard output as it was read.</summary>
    public void Feed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (c is '\r' or '\n')
            {
                Take();
            }
            else
            {
                _pending.Append(c);
            }
        }
    }

    /// <summary>The output ended: a last report without its carriage return still counts.</summary>
    public void Complete() => Take();

    private void Take()
    {
        var match = Report().Match(_pending.ToString());
        _pending.Clear();
        // qemu-img prints with the C locale, but a decimal comma costs nothing to accept.
        if (match.Success
            && double.TryParse(match.Groups[1].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            && percent > _last)
        {
            _last = Math.Min(percent, 100);
            progress.Report(_last);
        }
    }

    [GeneratedRegex(@"^\s*\((\d{1,3}(?:[.,]\d+)?)/100%\)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Report();
}
