namespace Pigsty.Appliance.Testing;

/// <summary>
/// What mcli prints, ASSUMED until a real mcli confirms it: one set of files (Recordings/mcli, whose README says where they come
/// from) that the installer's and the boot test's MinIO tests both answer mcli with.
/// </summary>
public static class McliRecordings
{
    /// <summary><c>mcli ls ALIAS</c> listing exactly <paramref name="buckets"/>, in the recorded line format.</summary>
    public static string Ls(IEnumerable<string> buckets)
    {
        var line = Read("ls.txt").Split('\n')[0];
        var prefix = line[..(line.LastIndexOf(' ') + 1)];
        return string.Concat(buckets.Order(StringComparer.Ordinal).Select(b => $"{prefix}{b}/\n"));
    }

    /// <summary><c>mcli ls --recursive</c> of a stanza's backup directory after a backup.</summary>
    public static string BackupListing => Read("ls-recursive-backup.txt");

    /// <summary><c>mcli admin user info ALIAS USER</c> of a user with that policy.</summary>
    public static string UserInfo(string user, string policy) =>
        Read("admin-user-info.txt").Replace("AccessKey: pgbackrest", $"AccessKey: {user}", StringComparison.Ordinal)
            .Replace("PolicyName: readwrite-pgsql", $"PolicyName: {policy}", StringComparison.Ordinal);

    /// <summary>stderr of <c>mcli admin user info</c> for a user that does not exist (exit 1).</summary>
    public static string UserMissing => Read("admin-user-info-missing.stderr");

    /// <summary>stderr of <c>mcli admin policy attach</c> when the policy is attached already (exit 1).</summary>
    public static string PolicyAlreadyInEffect => Read("admin-policy-attach-in-effect.stderr");

    private static string Read(string name) => File.ReadAllText(TestData.Path("Recordings", "mcli", name));
}
