using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Modules.Pgsql;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>PgsqlCommands reading what the real pgBackRest 2.45 prints (recorded), not a JSON shape of our own.</summary>
public sealed class PgsqlCommandsTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeMachine _machine;

    public PgsqlCommandsTests() => _machine = new FakeMachine(_root.Path);

    public void Dispose() => _root.Dispose();

    [Theory]
    [InlineData(PgbackrestRecordings.NoStanza, 1, 0)]
    [InlineData(PgbackrestRecordings.NoBackup, 2, 0)]
    [InlineData(PgbackrestRecordings.FullBackup, 0, 1)]
    [InlineData(PgbackrestRecordings.FullAndIncr, 0, 2)]
    public async Task The_stanza_status_and_backup_count_come_from_real_pgbackrest_output(string state, int code, int backups)
    {
        _machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(state)));

        var stanza = await StanzaAsync("single-node.yml");

        Assert.Equal((code, backups), stanza);
        Assert.Equal("runuser -u postgres -- pgbackrest --stanza=pg-meta --output=json info", Assert.Single(_machine.Scripted.Calls));
    }

    [Fact]
    public async Task Another_cluster_stanza_is_unknown()
    {
        _machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(PgbackrestRecordings.FullBackup)));
        var inventory = ModuleNodes.Sample("single-node.yml").Replace("pg-meta:", "pg-test:", StringComparison.Ordinal)
            .Replace("pg_cluster: pg-meta", "pg_cluster: pg-test", StringComparison.Ordinal);

        Assert.Null(await StanzaAsync(inventory));
    }

    [Fact]
    public async Task A_failing_pgbackrest_is_unknown_and_unreadable_output_names_the_step()
    {
        _machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Fail(41, "ERROR: [041]: unable to open file"));
        var failed = await StanzaAsync("single-node.yml");
        _machine.Scripted.On(s => s.Arguments.Contains("info"), _ => ScriptedProcesses.Ok(PgbackrestRecordings.Info(PgbackrestRecordings.FullBackup)[..100]));

        var error = await Assert.ThrowsAsync<InstallException>(() => StanzaAsync("single-node.yml"));

        Assert.Null(failed);
        Assert.Equal("pgsql.backup", error.Step);
        Assert.StartsWith("pgbackrest info printed JSON we cannot read: ", error.Reason, StringComparison.Ordinal);
    }

    private Task<(int Code, int Backups)?> StanzaAsync(string sample)
    {
        var node = PgsqlFixture.Node(_root, sample, "10.10.10.10");
        var settings = PgsqlSettings.From(node, new FixedResources());
        return PgsqlCommands.StanzaAsync(ModuleNodes.Context(node, _machine), settings, CancellationToken.None);
    }
}
