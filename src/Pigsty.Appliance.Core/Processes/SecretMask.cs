namespace Pigsty.Appliance.Core.Processes;

/// <summary>Replaces secrets with <c>***</c> in text that is logged or reported: command lines, tool output, step errors.</summary>
public static class SecretMask
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Masked = "***";

    /// <summary>Every non-empty secret in <paramref name="text"/> replaced, longest first (so a secret that contains another is masked whole).</summary>
    public static string Apply(string text, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        foreach (var secret in secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Masked, StringComparison.Ordinal);
        }

        return text;
    }
}
