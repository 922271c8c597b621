using System.Diagnostics;
using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Imaging.Tests.Build;

/// <summary>Which installed packages a preinstall pulled in: alternatives, virtual names and half-installed packages.</summary>
public sealed class InstalledGraphTests
{
    // Shaped like the appliance tree's dpkg database (Debian 12's nginx and postgresql-common).
    private const string Tree =
        "libc6\tinstall ok installed\t\tlibgcc-s1\t\trequired\t\n"
        + "libgcc-s1\tinstall ok installed\t\tlibc6 (>= 2.35)\t\t\t\n"
        + "debconf\tinstall ok installed\t\t\tdebconf-2.0\t\t\n"
        + "systemd\tinstall ok installed\tlibc6 (>= 2.34)\tlibgcc-s1\t\t\t\n"
        + "nginx\tinstall ok installed\t\tlibc6 (>= 2.34), nginx-common (>= 1.22.1-9+deb12u11)\thttpd, httpd-cgi\t\t\n"
        + "nginx-common\tinstall ok installed\t\tdebconf (>= 0.5) | debconf-2.0\t\t\t\n"
        + "postgresql-15\tinstall ok installed\t\tpostgresql-common (>= 252~) | missing-alternative, perl:any\t\t\t\n"
        + "postgresql-common\tinstall ok installed\tinit-system-helpers (>= 1.54~)\tdebconf (>= 0.5.00) | debconf-2.0, perl:any, debianutils\t\t\t\n"
        + "perl\tinstall ok installed\t\tlibc6\t\tstandard\t\n"
        + "dash\tinstall ok installed\t\tdebianutils\t\t\tyes\n"
        + "debianutils\tinstall ok installed\t\t\t\tstandard\t\n"
        + "half\tinstall ok unpacked\t\tlibc6\t\t\t\n";

    [Fact]
    public void The_preinstall_closure_less_the_base_closure_is_what_the_modules_pulled_in()
    {
        var graph = InstalledGraph.Parse(Tree);
        Assert.Equal(["libc6", "dash"], graph.Required);
        // debianutils comes with minbase (through Essential dash), so it is not pulled in by postgresql-common.
        var baseClosure = graph.ClosureOf(["systemd", "debconf", .. graph.Required]);
        var pulled = graph.ClosureOf(["nginx", "postgresql-15"]).Where(p => !baseClosure.Contains(p)).Order(StringComparer.Ordinal);
        Assert.Equal(["nginx", "nginx-common", "perl", "postgresql-15", "postgresql-common"], pulled);
    }

    [Fact]
    public void A_virtual_name_reaches_its_installed_provider_and_unknown_or_half_installed_roots_are_ignored()
    {
        var graph = InstalledGraph.Parse("x\tinstall ok installed\t\tweb-server\t\t\t\nweb\tinstall ok installed\t\t\tweb-server (= 1)\t\t\n" + Tree);
        Assert.Equal(["web", "x"], graph.ClosureOf(["x"]).Order(StringComparer.Ordinal));
        Assert.Empty(graph.ClosureOf(["half", "not-installed"]));
    }

    [Fact]
    public void A_malformed_line_names_the_package_and_field()
    {
        var error = Assert.Throws<FormatException>(() => InstalledGraph.Parse("bad\tinstall ok installed\t\tfoo (>>\t\t\t\n"));
        Assert.Contains("bad: Depends", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => InstalledGraph.Parse("only\ttwo\t\t\n"));
    }

    [Fact]
    public void The_build_hosts_own_dpkg_database_parses_and_dpkg_reaches_libc6()
    {
        // A real peer: dpkg-query's output for every package on this Debian host, in the format the image build reads.
        using var query = Process.Start(new ProcessStartInfo("dpkg-query", ["--show", "--showformat=" + InstalledGraph.QueryFormat])
        {
            RedirectStandardOutput = true,
        })!;
        var text = query.StandardOutput.ReadToEnd();
        query.WaitForExit();
        Assert.Equal(0, query.ExitCode);
        var closure = InstalledGraph.Parse(text).ClosureOf(["dpkg"]);
        Assert.Contains("dpkg", closure);
        Assert.Contains("libc6", closure);
    }
}
