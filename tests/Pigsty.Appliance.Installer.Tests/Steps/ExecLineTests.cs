using Pigsty.Appliance.Installer.Steps;

namespace Pigsty.Appliance.Installer.Tests.Steps;

public sealed class ExecLineTests
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
        Assert.Equal(expected, ExecLine.Quote(argument));

    [Fact]
    public void Short_commands_stay_on_one_line_and_long_ones_put_one_option_per_line()
    {
        Assert.Equal("/bin/kill -HUP $MAINPID", ExecLine.Of("/bin/kill", "-HUP", "$MAINPID"));
        Assert.Equal("/usr/bin/x \\\n    -a=1 \\\n    -b=2 \\\n    \"-c=x y\"", ExecLine.Of("/usr/bin/x", "-a=1", "-b=2", "-c=x y"));
        Assert.Equal("/usr/sbin/haproxy \\\n    -c \\\n    -f /etc/a.cfg \\\n    -f /etc/conf.d", ExecLine.Of("/usr/sbin/haproxy", "-c", "-f", "/etc/a.cfg", "-f", "/etc/conf.d"));
        Assert.Equal("/usr/bin/grafana server \"cfg:a=b c\"", ExecLine.Of("/usr/bin/grafana", "server", "cfg:a=b c"));
        Assert.Equal("/usr/bin/x \\\n    --a=1 \\\n    cfg:b \\\n    --c 2", ExecLine.Of("/usr/bin/x", "--a=1", "cfg:b", "--c", "2"));
    }
}
