using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.BootTest.Tests.Harness;

public sealed class MinioChecksTests
{
    private static readonly MinioExpectation Default = new(["pgsql", "meta", "data"], [("dba", "consoleAdmin"), ("pgbackrest", "readwrite-pgsql")], null);

    private readonly List<string> _commands = [];

    /// <summary>A guest whose mcli shows these buckets and users (user → policy), in mcli's (assumed) words.</summary>
    private MinioChecks.GuestCommand Guest(string[] buckets, Dictionary<string, string> users, string backup = "") => (command, _) =>
    {
        _commands.Add(command);
        var args = command[MinioChecks.Mcli.Length..].Trim().Split(' ');
        return Task.FromResult(args switch
        {
            ["ls", "sss"] => (true, McliRecordings.Ls(buckets)),
            ["admin", "user", "info", "sss", var user] => users.TryGetValue(user, out var policy)
                ? (true, McliRecordings.UserInfo(user, policy))
                : (false, McliRecordings.UserMissing),
            ["ls", "--recursive", ..] => (true, backup),
            _ => (false, "unexpected command"),
        });
    };

    [Fact]
    public async Task A_skipped_module_is_reported_skipped_with_the_reason_and_nothing_is_asked_of_the_guest()
    {
        string[] console = ["[  120.1] pigsty-firstboot[412]: pigsty: ETCD started (5 steps)", "[  130.2] pigsty-firstboot[412]: pigsty: MINIO skipped: minio not in bundle"];

        var results = await MinioChecks.RunAsync(console, Default with { BackupPrefix = "pgsql/pgbackrest/backup/pg-meta/" }, Guest([], []), CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Skipped && !r.Passed));
        Assert.Equal([MinioChecks.ProvisionedCheck, MinioChecks.BackupCheck], results.Select(r => r.Name));
        Assert.All(results, r => Assert.Equal("MINIO skipped: minio not in bundle", r.Detail));
        Assert.Empty(_commands);
        Assert.Equal("minio-skipped", FirstBootMilestone.Of(console[1]));
    }

    [Fact]
    public async Task A_started_module_passes_only_when_every_bucket_and_user_exists()
    {
        string[] console = ["pigsty: MINIO started (8 steps)"];

        var complete = await MinioChecks.RunAsync(console, Default, Guest(["data", "meta", "pgsql"], new() { ["dba"] = "consoleAdmin", ["pgbackrest"] = "readwrite-pgsql" }), CancellationToken.None);
        var partial = await MinioChecks.RunAsync(console, Default, Guest(["pgsql"], new() { ["dba"] = "consoleAdmin", ["pgbackrest"] = "readwrite" }), CancellationToken.None);

        Assert.True(Assert.Single(complete).Passed);
        var failed = Assert.Single(partial);
        Assert.False(failed.Passed || failed.Skipped);
        Assert.StartsWith("bucket meta missing; bucket data missing; user pgbackrest without policy readwrite-pgsql", failed.Detail, StringComparison.Ordinal);
        Assert.Contains("sudo mcli --config-dir /etc/pigsty/mcli --no-color admin user info sss pgbackrest", _commands);
    }

    [Fact]
    public async Task Backups_into_minio_pass_only_with_backup_info_in_the_bucket()
    {
        string[] console = ["pigsty: MINIO started (8 steps)"];
        var expected = Default with { BackupPrefix = "pgsql/pgbackrest/backup/pg-meta/" };
        var users = new Dictionary<string, string> { ["dba"] = "consoleAdmin", ["pgbackrest"] = "readwrite-pgsql" };

        var with = await MinioChecks.RunAsync(console, expected, Guest(["data", "meta", "pgsql"], users, McliRecordings.BackupListing), CancellationToken.None);
        var without = await MinioChecks.RunAsync(console, expected, Guest(["data", "meta", "pgsql"], users), CancellationToken.None);

        Assert.True(with[1].Passed);
        Assert.False(without[1].Passed);
        Assert.Contains("sudo mcli --config-dir /etc/pigsty/mcli --no-color ls --recursive sss/pgsql/pgbackrest/backup/pg-meta/", _commands);
    }

    [Fact]
    public async Task Neither_started_nor_skipped_fails()
    {
        var result = Assert.Single(await MinioChecks.RunAsync(["pigsty: PGSQL started (30 steps)"], Default, Guest([], []), CancellationToken.None));

        Assert.False(result.Passed || result.Skipped);
    }
}
