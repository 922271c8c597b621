namespace Pigsty.Appliance.Cli.Push;

/// <summary>Quoting for the POSIX shell that runs deploy's remote commands: every word we put there is single-quoted.</summary>
public static class Shell
{
    /// <summary><paramref name="word"/> as one single-quoted shell word.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
