using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Tests.Steps;

public sealed class SystemdUnitTests
{
    [Theory]
    [InlineData("-flag=value", "-flag=value")]
    [InlineData("100%", "100%%")]
    [InlineData("a b", "\"a b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("cost$", "cost$$")]
    [InlineData("$MAINPID", "$MAINPID")]
    [InlineData("", "\"\"")]
    public void Arguments_are_escaped_for_systemd(string argument, string expected) =>
        Assert.Equal(expected, SystemdUnit.Quote(argument));

    [Fact]
    public void Long_commands_put_one_argument_per_line()
    {
        var unit = new SystemdUnit("x.service", "X", ["/usr/bin/x", "-a=1", "-b=2", "-c=3"])
        {
            ExecReload = [["/bin/kill", "-HUP", "$MAINPID"]],
            Aliases = ["y.service"],
        };

        Assert.Contains("ExecStart=/usr/bin/x \\\n    -a=1 \\\n    -b=2 \\\n    -c=3\n", unit.Render(), StringComparison.Ordinal);
        Assert.Contains("ExecReload=/bin/kill -HUP $MAINPID\n", unit.Render(), StringComparison.Ordinal);
        Assert.EndsWith("[Install]\nWantedBy=multi-user.target\nAlias=y.service\n", unit.Render(), StringComparison.Ordinal);
        Assert.Equal("/etc/systemd/system/x.service", unit.Path);
    }
}
