using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>The new leader's journal (journalctl -o short-iso-precise, as HA run 8 printed it) read into the failover's milestones.</summary>
public sealed class FailoverTraceTests
{
    private const string Journal = """
        2026-12-02T21:47:46.722752+0000 pg-meta-3 pgbouncer[717]: C-0x5638689c1c30: pgbouncer/postgres@unix(1450):6432 login attempt: db=pgbouncer user=postgres tls=no
        2026-12-02T21:47:47.161818+0000 pg-meta-3 patroni[828]: 2026-12-02 21:47:47,084 WARNING: Request failed to pg-meta-2: GET http://10.10.10.12:8008/patroni
        2026-12-02T21:47:47.732493+0000 pg-meta-3 patroni[828]: 2026-12-02 21:47:47,678 INFO: promoted self to leader by acquiring session lock
        2026-12-02T21:47:48.415396+0000 pg-meta-3 patroni[7885]: server promoting
        2026-12-02T21:47:50.658730+0000 pg-meta-3 haproxy[958]: [WARNING]  (958) : Server pg-meta-default/pg-meta-3 is UP, reason: Layer7 check passed, code: 200
        2026-12-02T21:47:51.139254+0000 pg-meta-3 haproxy[958]: [WARNING]  (958) : Server pg-meta-primary/pg-meta-3 is UP, reason: Layer7 check passed, code: 200
        2026-12-02T21:47:51.142167+0000 pg-meta-3 haproxy[958]: Server pg-meta-primary/pg-meta-3 is UP, reason: Layer7 check passed, code: 200
        2026-12-02T21:47:52.232055+0000 pg-meta-3 pgbouncer[717]: C-0x5638689c1c30: meta/dbuser_meta@10.10.10.13:32496 login attempt: db=meta user=dbuser_meta tls=no
        2026-12-02T21:47:52.725586+0000 pg-meta-3 patroni[7894]: pg-vip: on_role_change as master: 10.10.10.2/24 added on enp0s4 (pg-meta)
            a continuation line without a time
        """;

    private static readonly DateTime Kill = new(2026, 12, 2, 21, 47, 17, DateTimeKind.Utc);

    [Fact]
    public void Milestones_come_from_the_first_line_of_each_kind_after_the_promotion()
    {
        var trace = FailoverTrace.Parse(Journal, "pg-meta-3");

        Assert.Equal(
            [("promoted", 30.7), ("vip", 35.7), ("primary_up", 34.1), ("first_login", 35.2)],
            trace.After(Kill));
        Assert.Equal("after the kill: promoted 30.7 s, vip 35.7 s, primary up 34.1 s, first login 35.2 s", trace.Describe(Kill));
    }

    [Fact]
    public void Another_members_service_and_logins_before_the_promotion_do_not_count()
    {
        var trace = FailoverTrace.Parse(Journal, "pg-meta-1");

        Assert.Null(trace.PrimaryUp);
        Assert.NotNull(trace.FirstLogin);
        Assert.Equal(new DateTime(2026, 12, 2, 21, 47, 52, 232, DateTimeKind.Utc).AddTicks(550), trace.FirstLogin);
    }

    [Fact]
    public void A_journal_without_a_promotion_says_so()
    {
        var trace = FailoverTrace.Parse("2026-12-02T21:47:51.292791+0000 pg-meta-3 patroni[828]: no action.\n", "pg-meta-3");

        Assert.Equal("no promotion in the new leader's journal", trace.Describe(Kill));
    }

    [Fact]
    public void Failed_attempts_after_the_kill_are_counted_by_kind()
    {
        FailedAttempt[] failures =
        [
            new(7, Kill.AddSeconds(-1), "NpgsqlException: before"),
            new(8, Kill.AddSeconds(6), "OperationCanceledException: The operation was canceled."),
            new(9, Kill.AddSeconds(9.5), "NpgsqlException: Failed to connect to 10.10.10.2:5433"),
            new(10, Kill.AddSeconds(12.5), "NpgsqlException: Failed to connect to 10.10.10.2:5433"),
        ];

        Assert.Equal(
            "3 failed attempt(s) after the kill, the last 12.5 s after it: 1× OperationCanceledException: The operation was canceled.; 2× NpgsqlException: Failed to connect to 10.10.10.2:5433",
            FailedAttempt.Describe(failures, Kill));
        Assert.Equal("no failed attempt after the kill", FailedAttempt.Describe(failures[..1], Kill));
    }
}
