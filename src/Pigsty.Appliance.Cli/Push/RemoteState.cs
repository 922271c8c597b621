namespace Pigsty.Appliance.Cli.Push;

/// <summary>What a host already holds, read before anything is uploaded, so that a re-run uploads nothing it has.</summary>
/// <param name="InstallerSha256">SHA-256 of its /opt/pigsty/bin/pigsty-appliance, or empty.</param>
/// <param name="BundleSha256">SHA-256 of the bundle deploy last unpacked there, or empty.</param>
/// <param name="RepoComplete">Whether /www/pigsty/repo_complete exists (a sealed repo is there).</param>
public sealed record RemoteState(string InstallerSha256, string BundleSha256, bool RepoComplete)
{
    /// <summary>One read-only command printing the three facts as key=value lines.</summary>
    public const string Command =
        "echo \"installer=$(sha256sum /opt/pigsty/bin/pigsty-appliance 2>/dev/null | cut -c1-64)\"; "
        + "echo \"bundle=$(cat /var/lib/pigsty/deploy-bundle.sha256 2>/dev/null)\"; "
        + "echo \"repo=$(test -f /www/pigsty/repo_complete && echo yes)\"";

    /// <summary>Reads the output of <see cref="Command"/>.</summary>
    public static RemoteState Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var fields = output.Split('\n').Select(l => l.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.Ordinal);
        return new RemoteState(fields.GetValueOrDefault("installer", ""), fields.GetValueOrDefault("bundle", ""), fields.GetValueOrDefault("repo") == "yes");
    }
}
