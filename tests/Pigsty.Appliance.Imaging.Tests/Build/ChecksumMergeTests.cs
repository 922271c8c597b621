using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Imaging.Tests.Build;

/// <summary>SHA256SUMS is one file for every image built into a folder: a build rewrites its own lines and keeps the others'.</summary>
public sealed class ChecksumMergeTests
{
    [Fact]
    public void A_build_replaces_its_own_lines_and_keeps_another_images()
    {
        const string existing = "aaa  pigsty-appliance-0.1.0.d12.x86_64.img\nbbb  pigsty-appliance-plain-d12-0.1.0.d12.x86_64.img\n";

        var merged = ImageBuilder.MergeChecksums(existing, ["ccc  pigsty-appliance-0.1.0.d12.x86_64.img"], _ => true);

        Assert.Equal("ccc  pigsty-appliance-0.1.0.d12.x86_64.img\nbbb  pigsty-appliance-plain-d12-0.1.0.d12.x86_64.img\n", merged);
    }

    [Fact]
    public void Lines_of_files_gone_from_the_folder_and_lines_that_are_not_sums_are_dropped()
    {
        const string existing = "aaa  gone.img\nnot a checksum line\nbbb  kept.qcow2\n";

        var merged = ImageBuilder.MergeChecksums(existing, ["ccc  new.img"], name => name == "kept.qcow2");

        Assert.Equal("ccc  new.img\nbbb  kept.qcow2\n", merged);
    }
}
