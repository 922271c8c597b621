using Pigsty.Appliance.BootTest.Checks;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

/// <summary>The boot test's judgement of pg_stat_statements and the logs: every generated and seed-given secret, named not shown.</summary>
public sealed class SecretLeaksTests
{
    private const string Seed = """
        all:
          children:
            pg-meta:
              hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }
              vars: { pg_cluster: pg-meta, pg_users: [ { name: dbuser_app, password: App.Given-1 } ] }
          vars:
            admin_ip: 10.10.10.10
            pg_admin_password: Dba.Given-2
        """;

    private static readonly Dictionary<string, string> Generated = new(StringComparer.Ordinal) { ["pg_replication_password"] = "GenRepl7xQ" };

    [Fact]
    public void Secrets_are_the_generated_ones_and_every_one_the_seed_gives_at_any_depth()
    {
        var secrets = SecretLeaks.Of(Generated, Seed, "/tmp/seed.yml");

        Assert.Equal(["App.Given-1", "Dba.Given-2", "GenRepl7xQ"], secrets.Values.Order(StringComparer.Ordinal));
        Assert.Equal("GenRepl7xQ", secrets["pg_replication_password"]);
        Assert.All(secrets.Keys.Where(k => k != "pg_replication_password"), k => Assert.StartsWith("seed.yml: ", k, StringComparison.Ordinal));
    }

    [Fact]
    public void A_statement_holding_a_secret_fails_the_check_naming_it_without_its_value()
    {
        var secrets = SecretLeaks.Of(Generated, Seed, "seed.yml");

        var result = SecretLeaks.Judge(SecretLeaks.StatementsCheck, "pg_stat_statements",
            "SELECT 1\nALTER ROLE \"replicator\" PASSWORD 'GenRepl7xQ'", secrets);

        Assert.False(result.Passed);
        Assert.Contains("pg_replication_password", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("GenRepl7xQ", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Verifiers_and_other_text_pass_and_no_known_secret_is_no_pass()
    {
        var secrets = SecretLeaks.Of(Generated, Seed, "seed.yml");
        const string Statements = "ALTER ROLE \"replicator\" PASSWORD 'SCRAM-SHA-256$4096:AAAA$x:y'\nSELECT count(*) FROM pigsty_boottest";

        Assert.True(SecretLeaks.Judge(SecretLeaks.StatementsCheck, "pg_stat_statements", Statements, secrets).Passed);
        Assert.False(SecretLeaks.Judge(SecretLeaks.LogsCheck, "logs", Statements, new Dictionary<string, string>()).Passed);
    }
}
