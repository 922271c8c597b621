using Pigsty.Appliance.Bundler.Resolve;
using static Pigsty.Appliance.Bundler.Tests.Resolve.Fixtures;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

public sealed class ResolverTests
{
    [Fact]
    public void Follows_depends_and_pre_depends_and_records_the_chain()
    {
        var universe = Universe("""
            Package: pgbouncer
            Version: 1.18.0-1
            Pre-Depends: init-system-helpers (>= 1.54~)
            Depends: libevent-2.1-7 (>= 2.1.8-stable), libc6 (>= 2.34)

            Package: libevent-2.1-7
            Version: 2.1.12-stable-8
            Depends: libc6 (>= 2.14)

            Package: libc6
            Version: 2.36-9+deb12u4

            Package: init-system-helpers
            Version: 1.65.2
            Architecture: all

            Package: unrelated
            Version: 1
            """);

        var resolution = Solve(universe, "pgbouncer");

        Assert.Equal(["init-system-helpers=1.65.2", "libc6=2.36-9+deb12u4", "libevent-2.1-7=2.1.12-stable-8", "pgbouncer=1.18.0-1"],
            Selected(resolution));
        var libevent = resolution.Find("libevent-2.1-7")!;
        Assert.Equal(SelectionKind.Depends, libevent.Kind);
        Assert.Equal(["pgbouncer", "libevent-2.1-7"], libevent.Chain);
        Assert.Equal("pgbouncer → libevent-2.1-7 (Depends: libevent-2.1-7 (>= 2.1.8-stable))", libevent.Why);
        Assert.Equal(SelectionKind.PreDepends, resolution.Find("init-system-helpers")!.Kind);
        Assert.Equal(SelectionKind.Requested, resolution.Find("pgbouncer")!.Kind);
    }

    [Fact]
    public void Takes_the_highest_version_across_suites()
    {
        var universe = Universe(
            ("bookworm", "Package: libpq5\nVersion: 15.8-0+deb12u1\n\nPackage: psql\nVersion: 1\nDepends: libpq5\n"),
            ("bookworm-security", "Package: libpq5\nVersion: 15.14-0+deb12u1\n"),
            ("bookworm-updates", "Package: libpq5\nVersion: 15.10-0+deb12u1\n"));

        var resolution = Solve(universe, "psql");

        var libpq = resolution.Find("libpq5")!;
        Assert.Equal("15.14-0+deb12u1", libpq.Entry.Version);
        Assert.Equal("bookworm-security", libpq.Entry.Source.Suite);
    }

    [Fact]
    public void A_version_range_picks_the_highest_version_inside_it()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: lib (>= 2), lib (<< 3)

            Package: lib
            Version: 3.1-1

            Package: lib
            Version: 2.5-1

            Package: lib
            Version: 2.0-1
            """);

        Assert.Equal(["app=1", "lib=2.5-1"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void A_later_upper_bound_sends_the_resolver_back_to_a_lower_version()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: lib (>= 2), plugin

            Package: plugin
            Version: 1
            Depends: lib (<< 3)

            Package: lib
            Version: 3.1-1

            Package: lib
            Version: 2.5-1
            """);

        Assert.Equal(["app=1", "lib=2.5-1", "plugin=1"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void An_alternative_already_selected_wins_over_the_first_one()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: default-mta | mail-transport-agent, helper

            Package: helper
            Version: 1
            Depends: postfix

            Package: default-mta
            Version: 1
            Depends: exim4

            Package: exim4
            Version: 4

            Package: postfix
            Version: 3.7
            Provides: mail-transport-agent
            """);

        var resolution = Solve(universe, "app");

        Assert.Equal(["app=1", "helper=1", "postfix=3.7"], Selected(resolution));
    }

    [Fact]
    public void Without_a_selected_alternative_the_first_installable_one_is_taken()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: missing-thing | awk-impl (>= 2) | mawk

            Package: awk-impl
            Version: 1

            Package: mawk
            Version: 1.3.4
            """);

        var resolution = Solve(universe, "app");

        Assert.Equal(["app=1", "mawk=1.3.4"], Selected(resolution));
        Assert.Contains("alternative 3 of", resolution.Find("mawk")!.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requested_package_satisfies_an_alternative_of_another_request()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: gawk | mawk

            Package: gawk
            Version: 5

            Package: mawk
            Version: 1.3.4
            """);

        Assert.Equal(["app=1", "mawk=1.3.4"], Selected(Solve(universe, "app", "mawk")));
    }

    [Fact]
    public void Virtual_packages_use_a_real_package_of_that_name_first()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: awk

            Package: awk
            Version: 1

            Package: mawk
            Version: 1.3.4
            Priority: required
            Provides: awk
            """);

        Assert.Equal(["app=1", "awk=1"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void Several_providers_are_chosen_by_priority_then_name_and_the_choice_is_noted()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: awk

            Package: original-awk
            Version: 2012
            Priority: optional
            Provides: awk

            Package: mawk
            Version: 1.3.4
            Priority: required
            Provides: awk

            Package: gawk
            Version: 5
            Priority: optional
            Provides: awk
            """);

        var resolution = Solve(universe, "app");

        Assert.Equal(["app=1", "mawk=1.3.4"], Selected(resolution));
        Assert.Contains("awk is virtual and several packages provide it (mawk, gawk, original-awk)", resolution.Find("mawk")!.Note, StringComparison.Ordinal);
        Assert.Single(resolution.Notes);
    }

    [Fact]
    public void A_provider_already_selected_satisfies_the_virtual_package()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: awk

            Package: mawk
            Version: 1.3.4
            Priority: required
            Provides: awk

            Package: gawk
            Version: 5
            Provides: awk
            """);

        Assert.Equal(["app=1", "gawk=5"], Selected(Solve(universe, "app", "gawk")));
    }

    [Fact]
    public void Versioned_provides_satisfy_versioned_relations_and_unversioned_ones_do_not()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: python3-api (>= 3.11)

            Package: unversioned
            Version: 1
            Provides: python3-api

            Package: old-python
            Version: 1
            Provides: python3-api (= 3.9)

            Package: python3.11
            Version: 3.11.2-6
            Provides: python3-api (= 3.11)
            """);

        Assert.Equal(["app=1", "python3.11=3.11.2-6"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void Cycles_end()
    {
        var universe = Universe("""
            Package: aa
            Version: 1
            Depends: bb

            Package: bb
            Version: 1
            Pre-Depends: cc

            Package: cc
            Version: 1
            Depends: aa (= 1)
            """);

        Assert.Equal(["aa=1", "bb=1", "cc=1"], Selected(Solve(universe, "aa")));
    }

    [Fact]
    public void An_alternative_that_conflicts_with_the_selection_is_skipped()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: base, mta-a | mta-b

            Package: base
            Version: 1
            Conflicts: mta-a

            Package: mta-a
            Version: 1

            Package: mta-b
            Version: 1
            """);

        var resolution = Solve(universe, "app");

        Assert.Equal(["app=1", "base=1", "mta-b=1"], Selected(resolution));
    }

    [Fact]
    public void Breaks_on_a_version_range_only_hit_versions_inside_it()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: lib, tool

            Package: lib
            Version: 2
            Breaks: tool (<< 2)

            Package: tool
            Version: 3
            """);

        Assert.Equal(["app=1", "lib=2", "tool=3"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void A_conflict_with_an_earlier_choice_sends_the_resolver_back_to_another_alternative()
    {
        // 'app' picks mta-a for its or-group first; 'later' then needs strict, which conflicts with mta-a.
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: mta-a | mta-b, later

            Package: later
            Version: 1
            Depends: strict

            Package: strict
            Version: 1
            Conflicts: mta-a

            Package: mta-a
            Version: 1

            Package: mta-b
            Version: 1
            """);

        Assert.Equal(["app=1", "later=1", "mta-b=1", "strict=1"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void A_conflict_on_a_virtual_name_hits_its_providers_but_not_the_package_itself()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: postfix, other-mta

            Package: postfix
            Version: 3.7
            Provides: mail-transport-agent
            Conflicts: mail-transport-agent

            Package: other-mta
            Version: 1
            Provides: mail-transport-agent
            """);

        var error = Assert.Throws<ResolutionException>(() => Solve(universe, "app"));

        Assert.Equal("app → other-mta : other-mta=1/amd64 conflicts with postfix=3.7/amd64 (postfix Conflicts: mail-transport-agent, via app → postfix)",
            error.Message);
    }

    [Fact]
    public void Unsatisfiable_versions_name_the_chain_and_what_is_available()
    {
        var universe = Universe("""
            Package: postgresql-15
            Version: 15.14-0+deb12u1
            Depends: pgbouncer

            Package: pgbouncer
            Version: 1.18.0-1
            Depends: libevent-2.1-7 (>= 2.1.8)

            Package: libevent-2.1-7
            Version: 2.1.7-1
            """);

        var error = Assert.Throws<ResolutionException>(() => Solve(universe, "postgresql-15"));

        Assert.Equal("postgresql-15 → pgbouncer → libevent-2.1-7 (>= 2.1.8) : no version of libevent-2.1-7 satisfies >= 2.1.8 (available: 2.1.7-1)",
            error.Message);
        Assert.Equal(["postgresql-15", "pgbouncer", "libevent-2.1-7"], error.Chain);
        Assert.Equal("libevent-2.1-7", error.Package);
        Assert.Equal(Core.Errors.ExitCode.InvalidInput, error.ExitCode);
    }

    [Fact]
    public void A_missing_dependency_and_every_failed_alternative_are_named()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: gone | also-gone (>= 2)

            Package: also-gone
            Version: 1
            """);

        var error = Assert.Throws<ResolutionException>(() => Solve(universe, "app"));

        Assert.Equal("app → gone | also-gone (>= 2) : no package named gone; no version of also-gone satisfies >= 2 (available: 1)", error.Message);
    }

    [Fact]
    public void An_unknown_request_suggests_close_names()
    {
        var universe = Universe("Package: pgbouncer\nVersion: 1\n\nPackage: postgresql-15\nVersion: 15\n\nPackage: postgresql-16\nVersion: 16\n");

        Assert.Equal("requested package 'pgbounce' does not exist in the indexes (did you mean pgbouncer?)",
            Assert.Throws<ResolutionException>(() => Solve(universe, "pgbounce")).Message);
        Assert.Equal("requested package 'postgresql' does not exist in the indexes (did you mean postgresql-15, postgresql-16?)",
            Assert.Throws<ResolutionException>(() => Solve(universe, "postgresql")).Message);
    }

    [Fact]
    public void A_requested_virtual_package_resolves_through_its_provider()
    {
        var universe = Universe("Package: exim4-daemon-light\nVersion: 4.96\nProvides: mail-transport-agent\n");

        Assert.Equal(["exim4-daemon-light=4.96"], Selected(Solve(universe, "mail-transport-agent")));
    }

    [Fact]
    public void Recommends_are_followed_only_for_requests_that_ask_for_them_and_never_suggests()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: lib
            Recommends: extra
            Suggests: docs

            Package: lib
            Version: 1
            Recommends: lib-data | missing

            Package: extra
            Version: 1

            Package: lib-data
            Version: 1

            Package: docs
            Version: 1

            Package: other
            Version: 1
            Recommends: never-there
            """);

        Assert.Equal(["app=1", "lib=1"], Selected(Solve(universe, "app")));
        var with = Resolver.Resolve(universe, new ResolveRequest([new PackageRequest("app", WithRecommends: true), new PackageRequest("other", true)])
        {
            IncludeRequiredBase = false,
        });
        Assert.Equal(["app=1", "extra=1", "lib=1", "lib-data=1", "other=1"], Selected(with));
        Assert.Equal(SelectionKind.Recommends, with.Find("lib-data")!.Kind);
        Assert.Contains(with.Notes, n => n.StartsWith("other recommends never-there, left out: no package named never-there", StringComparison.Ordinal));
    }

    [Fact]
    public void The_required_base_comes_along_unless_turned_off()
    {
        var universe = Universe("""
            Package: app
            Version: 1

            Package: dpkg
            Version: 1.21.22
            Essential: yes
            Priority: required
            Pre-Depends: tar (>= 1.28-1)

            Package: tar
            Version: 1.34
            Essential: yes
            Priority: required

            Package: mawk
            Version: 1.3.4
            Priority: required

            Package: vim
            Version: 9
            Priority: optional
            """);

        var with = Resolver.Resolve(universe, ResolveRequest.For("app"));
        var without = Solve(universe, "app");

        Assert.Equal(["app=1", "dpkg=1.21.22", "mawk=1.3.4", "tar=1.34"], Selected(with));
        Assert.Equal(SelectionKind.RequiredBase, with.Find("tar")!.Kind);
        Assert.Equal(["app=1"], Selected(without));
    }

    [Fact]
    public void Multi_arch_any_needs_allowed_and_arch_all_satisfies_native_dependencies()
    {
        var universe = Universe("""
            Package: app
            Version: 1
            Depends: python3:any, data:amd64, helper:native

            Package: python3
            Version: 3.11.2-1
            Multi-Arch: allowed

            Package: data
            Version: 1
            Architecture: all

            Package: helper
            Version: 1
            Multi-Arch: foreign

            Package: bad
            Version: 1
            Depends: helper:any
            """);

        Assert.Equal(["app=1", "data=1", "helper=1", "python3=3.11.2-1"], Selected(Solve(universe, "app")));
        Assert.Equal("bad → helper:any : helper is not Multi-Arch: allowed, so helper:any cannot be satisfied",
            Assert.Throws<ResolutionException>(() => Solve(universe, "bad")).Message);
    }

    [Fact]
    public void Architecture_restrictions_drop_relations_for_other_architectures()
    {
        var universe = Universe("Package: app\nVersion: 1\nDepends: libnuma1 [amd64], only-arm [arm64], not-i386 [!i386]\n\n" +
                                "Package: libnuma1\nVersion: 2\n\nPackage: not-i386\nVersion: 1\n");

        Assert.Equal(["app=1", "libnuma1=2", "not-i386=1"], Selected(Solve(universe, "app")));
    }

    [Fact]
    public void The_selection_order_does_not_depend_on_request_order()
    {
        var universe = Universe("""
            Package: aa
            Version: 1
            Depends: cc

            Package: bb
            Version: 1
            Depends: cc

            Package: cc
            Version: 1
            """);

        var first = Solve(universe, "aa", "bb");
        var second = Solve(universe, "bb", "aa");

        Assert.Equal(Selected(first), Selected(second));
    }

    [Fact]
    public void A_malformed_depends_field_names_the_package_and_index()
    {
        var universe = Universe("Package: app\nVersion: 1\nDepends: lib (>= )\n");

        var error = Assert.Throws<Core.Errors.UpstreamException>(() => Solve(universe, "app"));

        Assert.Equal("debian bookworm: package app=1/amd64: malformed Depends: 'lib (>= )': invalid version ''", error.Message);
    }
}
