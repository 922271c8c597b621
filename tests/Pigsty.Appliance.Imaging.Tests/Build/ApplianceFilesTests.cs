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
    [InlineData("issue-d13")]
    public void Files_match_their_golden_text(string name)
    {
        var actual = name switch
        {
            ApplianceFiles.FirstBootUnitName => ApplianceFiles.FirstBootUnit,
            ApplianceFiles.GrowRootUnitName => ApplianceFiles.GrowRootUnit,
            ApplianceFiles.SshKeysUnitName => ApplianceFiles.SshKeysUnit,
            "issue-d13" => IssueBanner.BeforeFirstBoot(TargetPlatform.Debian13),
            _ => IssueBanner.BeforeFirstBoot(TargetPlatform.Debian12),
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
        var before = IssueBanner.BeforeFirstBoot(TargetPlatform.Debian13).Split('\n');
        var after = IssueBanner.Render(TargetPlatform.Debian13, "done", "http://10.10.10.10/").Split('\n');

        Assert.Equal(IssueBanner.Title(TargetPlatform.Debian13), before[0]);
        Assert.Equal(before[0], after[0]);
        Assert.EndsWith(" - Debian GNU/Linux 13 (trixie)", before[0], StringComparison.Ordinal);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[3..], after[3..]);
        Assert.Contains(NodeLayout.StatusFile, before[4], StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_key_unit_shows_every_key_on_the_console_in_the_contract_form_at_every_boot()
    {
        var unit = ApplianceFiles.SshKeysUnit;

        Assert.DoesNotContain("ConditionPathExists", unit, StringComparison.Ordinal);
        Assert.Contains($"s/^/{HostKeyConsole.Prefix}/", unit, StringComparison.Ordinal);
        Assert.Contains("\nStandardOutput=journal+console\n", unit, StringComparison.Ordinal);
        // systemd expands $NAME in Exec lines itself: the shell line must hold none.
        Assert.DoesNotContain("$", unit, StringComparison.Ordinal);
    }

    [Fact]
    public void The_admin_user_gets_passwordless_sudo_in_a_file_sudo_reads()
    {
        Assert.Equal("/etc/sudoers.d/90-debian", ApplianceFiles.AdminSudoersPath("debian"));
        Assert.EndsWith("\ndebian ALL=(ALL:ALL) NOPASSWD: ALL\n", ApplianceFiles.AdminSudoers("debian"), StringComparison.Ordinal);
        Assert.DoesNotContain('.', Path.GetFileName(ApplianceFiles.AdminSudoersPath("debian")));
        Assert.Equal("a\nb\n", ApplianceFiles.AuthorizedKeysFile(["a", "b"]));
    }

    [Fact]
    public void A_plain_image_enables_host_keys_and_networking_but_no_first_boot()
    {
        Assert.Contains(ApplianceFiles.SshKeysUnitName, ApplianceFiles.PlainUnits);
        Assert.DoesNotContain(ApplianceFiles.FirstBootUnitName, ApplianceFiles.PlainUnits);
        Assert.DoesNotContain(ApplianceFiles.GrowRootUnitName, ApplianceFiles.PlainUnits);
    }
}
