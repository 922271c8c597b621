using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Core.Tests.Processes;

/// <summary>The one masking rule that command lines, tool output and step errors share.</summary>
public sealed class SecretMaskTests
{
    [Fact]
    public void Every_occurrence_of_every_secret_is_replaced()
    {
        var masked = SecretMask.Apply("user app pass S3cret, again S3cret; monitor Mon.Pw", ["S3cret", "Mon.Pw"]);

        Assert.Equal("user app pass ***, again ***; monitor ***", masked);
    }

    [Fact]
    public void A_secret_that_contains_another_is_masked_whole()
    {
        // Shorter first would leave "DBUser.***" behind, telling a reader most of the longer secret.
        var masked = SecretMask.Apply("dba DBUser.DBA, short DBA", ["DBA", "DBUser.DBA"]);

        Assert.Equal("dba ***, short ***", masked);
    }

    [Fact]
    public void Empty_secrets_change_nothing()
    {
        Assert.Equal("no secret here", SecretMask.Apply("no secret here", ["", ""]));
    }
}
