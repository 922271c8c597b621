using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Apt;

public sealed class HostAptSourcesTests
{
    private const string Deb822 = """
        # the main archive
        Types: deb deb-src
        URIs: http://mirror.example/debian
        Suites: bookworm bookworm-updates
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://mirror.example/debian-security/
        Suites: bookworm-security
        Components: main
        Architectures: amd64
        Signed-By:
         -----BEGIN PGP PUBLIC KEY BLOCK-----
         .
         mQINBGPL0BUBEAD...
         -----END PGP PUBLIC KEY BLOCK-----

        Types: deb
        URIs: http://disabled.example/
        Suites: bookworm
        Components: main
        Enabled: no

        Types: deb-src
        URIs: http://src-only.example/debian
        Suites: bookworm
        Components: main
        """;

    private const string OneLine = """
        # comment
        deb http://mirror.example/debian bookworm main contrib # trailing
        deb-src http://mirror.example/debian bookworm main
        deb [arch=amd64,arm64 signed-by=/etc/apt/keyrings/pgdg.gpg] http://apt.example/pub/repos/apt bookworm-pgdg main
          deb   [ trusted=yes ]   file:/srv/repo ./
        """;

    [Fact]
    public void Reads_deb822_entries_and_skips_sources_and_disabled_ones()
    {
        var entries = HostAptSources.ParseDeb822(Deb822, "debian.sources");

        Assert.Equal(2, entries.Count);
        Assert.Equal("http://mirror.example/debian/", entries[0].Uri.ToString());
        Assert.Equal(["bookworm", "bookworm-updates"], entries[0].Suites);
        Assert.Equal(["main", "contrib"], entries[0].Components);
        Assert.Equal("/usr/share/keyrings/debian-archive-keyring.gpg", entries[0].SignedBy);
        Assert.Equal("http://mirror.example/debian-security/", entries[1].Uri.ToString());
        Assert.Null(entries[1].SignedBy);
        Assert.Equal(["amd64"], entries[1].Architectures);
    }

    [Fact]
    public void Reads_one_line_entries_with_options()
    {
        var entries = HostAptSources.ParseOneLine(OneLine, "sources.list");

        Assert.Equal(3, entries.Count);
        Assert.Equal(("http://mirror.example/debian/", "bookworm"), (entries[0].Uri.ToString(), entries[0].Suites.Single()));
        Assert.Equal(["main", "contrib"], entries[0].Components);
        Assert.Equal("/etc/apt/keyrings/pgdg.gpg", entries[1].SignedBy);
        Assert.Equal(["amd64", "arm64"], entries[1].Architectures);
        Assert.Equal(("file:///srv/repo/", "./"), (entries[2].Uri.ToString(), entries[2].Suites.Single()));
        Assert.Empty(entries[2].Components);
    }

    [Fact]
    public void Malformed_lines_name_file_and_line()
    {
        var error = Assert.Throws<InputException>(() => HostAptSources.ParseOneLine("deb http://x/ bookworm main\ndeb http://x/ bookworm\n", "a.list"));

        Assert.Equal("a.list:2:1: expected 'deb [options] uri suite [component …]', got 'deb http://x/ bookworm'", error.Message);
        Assert.Throws<InputException>(() => HostAptSources.ParseDeb822("Types: deb\nSuites: bookworm\n", "b.sources"));
    }

    [Fact]
    public void Loads_a_root_and_turns_suites_into_apt_sources()
    {
        using var root = new TempDirectory();
        root.Write("etc/apt/sources.list", "deb http://old.example/debian bullseye main\n");
        root.Write("etc/apt/sources.list.d/debian.sources", Deb822);
        root.Write("etc/apt/sources.list.d/ignored.txt", "garbage");

        var host = HostAptSources.Load(root.Path);
        var security = host.ToSource("debian-security", "bookworm-security", "amd64");
        var updates = host.ToSource("debian", "bookworm-updates", "amd64", ["main"]);

        Assert.Equal(3, host.Entries.Count);
        Assert.Equal(new AptSource("debian-security", new Uri("http://mirror.example/debian-security/"), "bookworm-security", security.Components, "amd64",
            HostAptSources.DebianKeyring), security);
        Assert.Equal(["main"], security.Components);
        Assert.Equal("http://mirror.example/debian/", updates.BaseUri.ToString());
        Assert.Equal(["main"], updates.Components);
        var missing = Assert.Throws<UsageException>(() => host.ToSource("debian", "trixie", "amd64"));
        Assert.Contains("no apt source on this host serves suite 'trixie'", missing.Message, StringComparison.Ordinal);
        var trixie = host.ToSource("debian", "trixie", "amd64", ["main"], via: "bookworm");
        Assert.Equal(("http://mirror.example/debian/", "trixie"), (trixie.BaseUri.ToString(), trixie.Suite));
        var viaMissing = Assert.Throws<UsageException>(() => host.ToSource("debian", "trixie", "amd64", via: "bullseye-backports"));
        Assert.Contains("serves suite 'bullseye-backports'", viaMissing.Message, StringComparison.Ordinal);
    }
}
