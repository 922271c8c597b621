using Pigsty.Appliance.BootTest.Ha;

namespace Pigsty.Appliance.BootTest.Tests.Ha;

/// <summary>What the harness takes from the load helper's output: acknowledged commits only.</summary>
public sealed class WriteLoadTests
{
    [Fact]
    public void Only_whole_commit_lines_count_as_acknowledged()
    {
        var load = new WriteLoad(CancellationToken.None);

        load.OnLine("{\"id\":1,\"at\":\"2026-11-30T18:00:00.1234567Z\"}");
        load.OnLine("Npgsql warning: connection reset");
        load.OnLine("{\"id\":2,\"at\":\"2026-11-30T18:0");
        load.OnLine("{\"id\":3,\"at\":\"2026-11-30T18:00:21.5Z\"}");

        Assert.Equal([1L, 3L], load.Commits.Select(c => c.Id));
        Assert.Equal(new DateTime(2026, 11, 30, 18, 0, 21, 500, DateTimeKind.Utc), load.Commits[1].At.ToUniversalTime());
    }
}
