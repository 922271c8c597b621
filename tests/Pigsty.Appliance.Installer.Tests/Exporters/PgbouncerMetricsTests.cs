using Pigsty.Appliance.Installer.Exporters;

namespace Pigsty.Appliance.Installer.Tests.Exporters;

public sealed class PgbouncerMetricsTests
{
    [Fact]
    public void Numeric_columns_become_gauges_labelled_by_database_and_user()
    {
        var pools = new PgbouncerConsole.Result("SHOW POOLS", [
            ["database", "user", "cl_active", "cl_waiting", "sv_active", "pool_mode"],
            ["meta", "dbuser_meta", "2", "0", "1", "transaction"],
            ["pgbouncer", "pgbouncer", "1", "0", "0", "statement"]]);

        var text = PgbouncerMetrics.Render([pools], up: true);

        Assert.Equal("""
            # HELP pgbouncer_up 1 when the admin console answered
            # TYPE pgbouncer_up gauge
            pgbouncer_up 1
            # TYPE pgbouncer_pools_cl_active gauge
            pgbouncer_pools_cl_active{database="meta",user="dbuser_meta",pool_mode="transaction"} 2
            pgbouncer_pools_cl_active{database="pgbouncer",user="pgbouncer",pool_mode="statement"} 1
            # TYPE pgbouncer_pools_cl_waiting gauge
            pgbouncer_pools_cl_waiting{database="meta",user="dbuser_meta",pool_mode="transaction"} 0
            pgbouncer_pools_cl_waiting{database="pgbouncer",user="pgbouncer",pool_mode="statement"} 0
            # TYPE pgbouncer_pools_sv_active gauge
            pgbouncer_pools_sv_active{database="meta",user="dbuser_meta",pool_mode="transaction"} 1
            pgbouncer_pools_sv_active{database="pgbouncer",user="pgbouncer",pool_mode="statement"} 0

            """, text);
    }

    [Fact]
    public void A_silent_console_is_up_0_and_nothing_else() =>
        Assert.EndsWith("pgbouncer_up 0\n", PgbouncerMetrics.Render([], up: false), StringComparison.Ordinal);
}
