using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Core.Tests.Processes;

/// <summary>build/host-packages.json: the one list Prerequisites installs from, KnownTools names packages from and RealTool checks.</summary>
public sealed class HostPackageListTests
{
    [Fact]
    public void The_list_parses_with_unique_packages_and_programs_and_a_reason_for_each()
    {
        var packages = HostPackageList.All;

        Assert.True(packages.Count > 40, $"only {packages.Count} packages");
        Assert.Equal(packages.Count, packages.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(packages, p => Assert.False(string.IsNullOrWhiteSpace(p.Reason), p.Name));
        Assert.All(packages, p => Assert.Contains(p.Category, HostPackageList.Categories));
        var programs = packages.SelectMany(p => p.Programs).ToList();
        Assert.Equal(programs.Count, programs.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Every program our code runs on the build host, and the package that has it.</summary>
    [Theory]
    [InlineData("apt-get", "apt")]
    [InlineData("dpkg-deb", "dpkg")]
    [InlineData("dpkg-query", "dpkg")]
    [InlineData("gpg", "gpg")]
    [InlineData("gpgconf", "gpgconf")]
    [InlineData("gpgv", "gpgv")]
    [InlineData("grub-mkimage", "grub-common")]
    [InlineData("grub-mkstandalone", "grub-common")]
    [InlineData("mcopy", "mtools")]
    [InlineData("mmd", "mtools")]
    [InlineData("mdir", "mtools")]
    [InlineData("mtype", "mtools")]
    [InlineData("mkfs.vfat", "dosfstools")]
    [InlineData("mke2fs", "e2fsprogs")]
    [InlineData("mmdebstrap", "mmdebstrap")]
    [InlineData("qemu-img", "qemu-utils")]
    [InlineData("qemu-system-x86_64", "qemu-system-x86")]
    [InlineData("sfdisk", "fdisk")]
    [InlineData("sgdisk", "gdisk")]
    [InlineData("sha256sum", "coreutils")]
    [InlineData("du", "coreutils")]
    [InlineData("cp", "coreutils")]
    [InlineData("tar", "tar")]
    [InlineData("systemctl", "systemd")]
    [InlineData("time", "time")]
    [InlineData("psql", "postgresql-client")]
    [InlineData("pg_isready", "postgresql-client")]
    [InlineData("chromium", "chromium")]
    [InlineData("ssh-keygen", "openssh-client")]
    public void Known_tools_name_the_package_of_the_list(string tool, string package)
    {
        Assert.Equal(package, KnownTools.PackageFor(tool));
        Assert.Contains(HostPackageList.All, p => p.Name == package && p.Programs.Contains(tool));
    }

    /// <summary>Packages.xz, release archives and .tar.zst bundles are read in-process: only tests still run xz and zstd.</summary>
    [Theory]
    [InlineData("xz", "xz-utils")]
    [InlineData("zstd", "zstd")]
    public void Xz_and_zstd_are_test_packages_now_that_no_product_code_runs_them(string tool, string package)
    {
        Assert.Equal(package, KnownTools.PackageFor(tool));
        Assert.Contains(HostPackageList.All, p => p.Name == package && p.Category == "test" && p.Programs.Contains(tool));
    }

    [Fact]
    public void Every_tool_known_maps_to_a_package_in_the_list()
    {
        foreach (var program in HostPackageList.All.SelectMany(p => p.Programs))
        {
            var package = KnownTools.PackageFor(program);
            Assert.Contains(HostPackageList.All, p => p.Name == package);
            Assert.Equal(package, KnownTools.PackageFor($"/usr/sbin/{program}"));
        }

        Assert.Null(KnownTools.PackageFor("no-such-tool"));
    }

    [Fact]
    public void The_ssh_client_is_a_test_package_now_that_deploys_tests_make_keys_with_it()
    {
        // It was boot-test only (BootTest logs into guests); deploy's sshd tests need ssh-keygen, so Prerequisites installs it.
        Assert.Contains(HostPackageList.All, p => p.Category == "test" && p.Name == "openssh-client");
        Assert.DoesNotContain(HostPackageList.All, p => p.Category == "boot-test" && p.Name == "openssh-client");
        Assert.Contains(HostPackageList.All, p => p.Category == "test" && p.Name == "nginx");
    }

    [Fact]
    public void Duplicates_empty_reasons_and_unknown_categories_are_each_named()
    {
        var error = Assert.Throws<InputException>(() => HostPackageList.Parse("""
            { "packages": [
              { "name": "nginx", "category": "test", "reason": "checks the portal", "programs": ["nginx"] },
              { "name": "nginx", "category": "test", "reason": "again", "programs": [] },
              { "name": "nginx-light", "category": "test", "reason": "", "programs": ["nginx"] },
              { "name": "chrony", "category": "tests", "reason": "parses chrony.conf", "programs": ["/usr/sbin/chronyd"] },
              { "name": "", "category": "build", "reason": "x" }
            ] }
            """));

        Assert.Equal("""
            build/host-packages.json: packages[1] (nginx): package 'nginx' is listed twice
            build/host-packages.json: packages[2] (nginx-light): needs a "reason": what of ours needs the package
            build/host-packages.json: packages[2] (nginx-light): program 'nginx' is already listed under 'nginx'
            build/host-packages.json: packages[3] (chrony): category 'tests' is none of build, image, test, boot-test
            build/host-packages.json: packages[3] (chrony): program '/usr/sbin/chronyd' must be a file name
            build/host-packages.json: packages[4]: needs a "name": the Debian package
            build/host-packages.json: packages[4]: needs "programs": an array of the program names we run (empty when we run none)
            """.ReplaceLineEndings("\n"), error.Message);
    }

    [Fact]
    public void A_file_that_is_not_the_list_says_so()
    {
        Assert.Equal("build/host-packages.json: not valid JSON: 'x' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.",
            Assert.Throws<InputException>(() => HostPackageList.Parse("x")).Message);
        Assert.Equal("build/host-packages.json: expected an object with a \"packages\" array",
            Assert.Throws<InputException>(() => HostPackageList.Parse("""{ "package": [] }""")).Message);
    }
}
