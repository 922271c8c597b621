using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Modules.Minio;

/// <summary>
/// mcli (MinIO's mc, renamed as in Pigsty's repository) with our private config directory. No secret is ever an argument
/// (<c>/proc/*/cmdline</c> is world-readable): the alias and its root credentials are in mcli's own 0600 config file, a user's
/// secret key goes on stdin; secrets are still masked wherever a command or its output is shown.
/// </summary>
public static class Mcli
{
    /// <summary>mcli's config file in our config directory: the alias with the root credentials (written 0600).</summary>
    public const string ConfigPath = MinioSettings.McliDirectory + "/config.json";

    /// <summary>An mcli command; every value in <paramref name="secrets"/> appears as <c>***</c> in logs and errors.</summary>
    public static ProcessSpec Command(IReadOnlyList<string> arguments, params IReadOnlyList<string> secrets) =>
        new("mcli", ["--config-dir", MinioSettings.McliDirectory, "--no-color", .. arguments])
        {
            Secrets = secrets,
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>
    /// The commands that bring the cluster to its buckets, users and policies, in order; each is idempotent
    /// (<c>mb --ignore-existing</c>, <c>policy create</c> and <c>user add</c> overwrite, an attached policy is accepted).
    /// </summary>
    /// <param name="userSecrets">Each user's secret key, by access key.</param>
    public static IReadOnlyList<ProcessSpec> Provision(MinioSettings settings, IReadOnlyDictionary<string, string> userSecrets)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(userSecrets);
        var alias = MinioSettings.Alias;
        var commands = new List<ProcessSpec>();
        foreach (var bucket in settings.Buckets)
        {
            commands.Add(Command(["mb", "--ignore-existing", $"{alias}/{bucket.Name}"]));
            if (bucket.Versioning)
            {
                commands.Add(Command(["version", "enable", $"{alias}/{bucket.Name}"]));
            }
        }

        foreach (var user in settings.Users)
        {
            var secret = userSecrets[user.AccessKey];
            if (user.Bucket is { } bucket)
            {
                commands.Add(Command(["admin", "policy", "create", alias, user.PolicyName, PolicyPath(bucket)]));
            }

            // Without a third argument mcli reads the secret key from stdin (one line, as it does when piped).
            commands.Add(Command(["admin", "user", "add", alias, user.AccessKey], secret) with { StandardInput = secret + "\n" });
            commands.Add(Command(["admin", "policy", "attach", alias, user.PolicyName, "--user", user.AccessKey]));
        }

        return commands;
    }

    /// <summary>Where the policy file of a bucket-limited user lives.</summary>
    public static string PolicyPath(string bucket) => $"{MinioSettings.McliDirectory}/policies/readwrite-{bucket}.json";

    /// <summary>True when mcli succeeded, or refused only because the change was already in effect (attaching an attached policy).</summary>
    public static bool Settled(ProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Succeeded || result.StandardError.Contains("already in effect", StringComparison.OrdinalIgnoreCase)
            || result.StandardError.Contains("already attached", StringComparison.OrdinalIgnoreCase);
    }
}
