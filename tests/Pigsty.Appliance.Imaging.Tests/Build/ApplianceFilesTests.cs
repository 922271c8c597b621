using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Imaging.Build;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Build;

/// <summary>The files an image carries: exact text (golden files), and every node path in them taken from the one contract.</summary>
public sealed class ApplianceFilesTests
{
    [Theory]
    [InlineData(ApplianceFiles.FirstBootUnitName)]
    [InlineData(ApplianceFiles.GrowRootUnitName)]
    [InlineData(ApplianceFiles.SshKeysUnitName)]
    [InlineData("issue")]
    public void Files_match_their_golden_text(string name)
    {
        var actual = name switch
        {
            ApplianceFiles.FirstBootUnitName => ApplianceFiles.FirstBootUnit,
            ApplianceFiles.GrowRootUnitName => ApplianceFiles.GrowRootUnit,
            ApplianceFiles.SshKeysUnitName => ApplianceFiles.SshKeysUnit,
            _ => IssueBanner.BeforeFirstBoot,
        };

        Golden.Assert(actual, $"Build/Golden/{name}");
    }

    [Fact]
    public void The_first_boot_unit_runs_the_contract_installer_until_the_contract_marker_exists()
    {
        var unit = ApplianceFiles.FirstBootUnit;

        Assert.Contains($"\nConditionPathExists=!{NodeLayout.FirstBootDone}\n", unit, StringComparison.Ordinal);
        Assert.Contains($"\nExecStart={NodeLayout.Installer} firstboot\n", unit, StringComparison.Ordinal);
        Assert.Contains($" {ApplianceFiles.GrowRootUnitName} ", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grow_root_unit_checks_and_writes_the_contract_marker()
    {
        var unit = ApplianceFiles.GrowRootUnit;

        Assert.Contains($"\nConditionPathExists=!{NodeLayout.GrowRootDone}\n", unit, StringComparison.Ordinal);
        Assert.Contains($"\nExecStart={NodeLayout.Installer} growroot\n", unit, StringComparison.Ordinal);
        Assert.Contains($"\nExecStartPost=/usr/bin/touch {NodeLayout.GrowRootDone}\n", unit, StringComparison.Ordinal);
        Assert.Contains($"\nBefore={ApplianceFiles.FirstBootUnitName}\n", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void The_apt_source_is_the_contract_repo_checked_against_its_key_and_never_trusted_blindly()
    {
        Assert.Equal($"deb [signed-by={NodeLayout.Repo}/{RepoLayout.PublicKey}] file:{NodeLayout.Repo} ./\n", ApplianceFiles.AptSource);
        Assert.DoesNotContain("trusted=yes", ApplianceFiles.AptSource, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_banner_and_the_installed_banner_share_the_title_and_the_places_to_look()
    {
        var before = IssueBanner.BeforeFirstBoot.Split('\n');
        var after = IssueBanner.Render("done", "http://10.10.10.10/").Split('\n');

        Assert.Equal(IssueBanner.Title, before[0]);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[3..], after[3..]);
        Assert.Contains(NodeLayout.StatusFile, before[4], StringComparison.Ordinal);
    }
}
