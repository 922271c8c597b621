using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

/// <summary>What the real pgBackRest 2.45 printed for <c>--output=json info</c> of stanza pg-meta (Recordings/pgbackrest-2.45/README.md says how).</summary>
internal static class PgbackrestRecordings
{
    public const string NoStanza = "no-stanza";

    public const string NoBackup = "no-backup";

    public const string FullBackup = "full-backup";

    public const string FullAndIncr = "full-and-incr";

    /// <summary>The recorded stdout of one state.</summary>
    public static string Info(string state) => File.ReadAllText(TestData.Path("Modules/Pgsql/Recordings/pgbackrest-2.45", $"info-{state}.json"));
}
