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

    [Fact]
    public void A_finished_install_counts_only_when_the_page_drew_its_tables_and_folded_the_json()
    {
        const string Done = "<div id=\"status\" class=\"ok\">State: done</div><div id=\"install\"><h3>Modules</h3><table></table><h3>Steps</h3>"
            + "<table></table><details><summary>status.json</summary><pre>{}</pre></details></div>";

        Assert.True(PortalCheck.ShowsDone(Done));
        Assert.False(PortalCheck.ShowsDone(Done.Replace("<h3>Steps</h3>", "", StringComparison.Ordinal)));
        Assert.False(PortalCheck.ShowsDone(Done.Replace("class=\"ok\">State: done", "class=\"bad\">State: failed", StringComparison.Ordinal)));
    }
}
