using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Tests.Shared;

public sealed class EtcHostsFileTests
{
    [Fact]
    public void Two_modules_blocks_keep_their_places_so_re_runs_change_nothing()
    {
        var node = EtcHostsFile.Render(null, ["10.10.10.10 pg-meta-1", "10.10.10.10 i.pigsty"]);
        var both = EtcHostsFile.Render(node, ["10.10.10.10 minio-1.pigsty", "10.10.10.10 sss.pigsty"], "MINIO");

        Assert.Equal(both, EtcHostsFile.Render(both, ["10.10.10.10 pg-meta-1", "10.10.10.10 i.pigsty"]));
        Assert.Equal(both, EtcHostsFile.Render(both, ["10.10.10.10 minio-1.pigsty", "10.10.10.10 sss.pigsty"], "MINIO"));
        Assert.EndsWith("""
            # BEGIN pigsty-appliance (NODE): rewritten by the installer, change the inventory instead
            10.10.10.10 pg-meta-1
            10.10.10.10 i.pigsty
            # END pigsty-appliance

            # BEGIN pigsty-appliance (MINIO): rewritten by the installer, change the inventory instead
            10.10.10.10 minio-1.pigsty
            10.10.10.10 sss.pigsty
            # END pigsty-appliance (MINIO)

            """, both, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_block_is_replaced_where_it_stands()
    {
        var both = EtcHostsFile.Render(EtcHostsFile.Render(null, ["10.10.10.10 a"]), ["10.10.10.11 minio-1.pigsty"], "MINIO");

        var renamed = EtcHostsFile.Render(both, ["10.10.10.10 b"]);

        Assert.Equal(both.Replace("10.10.10.10 a\n", "10.10.10.10 b\n", StringComparison.Ordinal), renamed);
    }
}
