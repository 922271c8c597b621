using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Contract;

/// <summary>
/// A Debian release the appliance targets, and what about it changes what we build or render: the bundle's recipe names it by
/// its <see cref="Os"/> tag (<c>os: d13</c>), the bundle's manifest carries the tag to the node, and the one installer binary
/// looks the profile up there. The component versions are the Debian package versions a configuration depends on (Patroni 3
/// and 4, etcd 3.4 and 3.5, haproxy 2.6 and 3.0 read parts of their configuration differently).
/// </summary>
/// <param name="Os">Pigsty's short OS tag, also in every artifact name (<c>pigsty-pkg-0.1.0.d13.x86_64.tgz</c>).</param>
/// <param name="Codename">The Debian suite, e.g. <c>trixie</c>.</param>
/// <param name="Release">The Debian major release, e.g. 13 (<c>VERSION_ID</c> in /etc/os-release).</param>
/// <param name="PgMajor">The PostgreSQL major Debian ships in that release (postgresql-&lt;major&gt;).</param>
/// <param name="Patroni">Patroni's major version in the release.</param>
/// <param name="Etcd">etcd's major.minor in the release.</param>
/// <param name="Haproxy">haproxy's major.minor in the release.</param>
public sealed record TargetPlatform(string Os, string Codename, int Release, int PgMajor, int Patroni, Version Etcd, Version Haproxy)
{
    /// <summary>Debian 12 bookworm: PostgreSQL 15, Patroni 3.0, etcd 3.4, haproxy 2.6.</summary>
    public static readonly TargetPlatform Debian12 = new("d12", "bookworm", 12, 15, 3, new Version(3, 4), new Version(2, 6));

    /// <summary>Debian 13 trixie: PostgreSQL 17, Patroni 4.0, etcd 3.5, haproxy 3.0.</summary>
    public static readonly TargetPlatform Debian13 = new("d13", "trixie", 13, 17, 4, new Version(3, 5), new Version(3, 0));

    /// <summary>Every target, oldest first.</summary>
    public static readonly IReadOnlyList<TargetPlatform> All = [Debian12, Debian13];

    /// <summary><c>PRETTY_NAME</c> of the release's /etc/os-release, e.g. <c>Debian GNU/Linux 13 (trixie)</c>.</summary>
    public string PrettyName => $"Debian GNU/Linux {Release} ({Codename})";

    /// <summary>The kernel a bare-metal image boots (<c>kernel: default</c>).</summary>
    public string KernelPackage => "linux-image-amd64";

    /// <summary>The smaller kernel of a VM-only image (<c>kernel: cloud</c>).</summary>
    public string CloudKernelPackage => "linux-image-cloud-amd64";

    /// <summary>
    /// OpenSSL's library package, which the self-contained installer loads: trixie renamed it to <c>libssl3t64</c> in the 64-bit
    /// time_t transition, and bookworm has no such package.
    /// </summary>
    public string OpenSslPackage => Release >= 13 ? "libssl3t64" : "libssl3";

    /// <summary>Debian's prefix of an extension package for the release's PostgreSQL, e.g. <c>postgresql-17-</c>.</summary>
    public string ExtensionPrefix => $"postgresql-{PgMajor}-";

    /// <summary>The profile of an OS tag, or null when no target has it.</summary>
    public static TargetPlatform? Find(string os) => All.FirstOrDefault(p => p.Os == os);

    /// <summary>The profile of an OS tag read from <paramref name="source"/> (a recipe, a manifest); an error naming the file otherwise.</summary>
    public static TargetPlatform ForOs(string? os, string source) =>
        (os is null ? null : Find(os)) ?? throw new InputException(source,
            $"os '{os}' is not a target this installer knows (it knows {string.Join(", ", All.Select(p => $"{p.Os} = Debian {p.Release} {p.Codename}"))})");
}
