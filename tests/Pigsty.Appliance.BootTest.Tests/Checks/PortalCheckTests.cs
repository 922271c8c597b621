using Pigsty.Appliance.BootTest.Checks;

namespace Pigsty.Appliance.BootTest.Tests.Checks;

public sealed class PortalCheckTests
{
    [Fact]
    public void A_failed_check_quotes_what_the_status_box_says()
    {
        const string Dom = "<html><body><h2>Install status</h2>\n<div id=\"status\">Install status unavailable: TypeError: Failed to fetch</div>\n</body></html>";

        Assert.Equal("Install status unavailable: TypeError: Failed to fetch", PortalCheck.StatusBox(Dom));
        Assert.Equal("no status box in the page", PortalCheck.StatusBox("<html>401 Authorization Required</html>"));
    }
}
