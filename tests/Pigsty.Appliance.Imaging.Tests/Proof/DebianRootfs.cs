using System.Text;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Proof;

/// <summary>
/// A minimal bootable Debian 12 root filesystem made by mmdebstrap from the host's mirror, cached as a tarball between runs
/// (under $PIGSTY_TEST_CACHE, default ~/.cache/pigsty-appliance) because it takes minutes to make and never changes for a given mirror.
/// </summary>
internal static class DebianRootfs
{
    /// <summary>Beyond minbase: a kernel (with initramfs-tools), systemd as init, and udev so the initramfs finds root=UUID=.</summary>
    public static readonly string[] Packages = ["linux-image-amd64", "systemd-sysv", "udev"];

    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("PIGSTY_TEST_CACHE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pigsty-appliance");

    /// <summary>The cached tarball, made first when missing; the flag says whether it came from the cache.</summary>
    public static async Task<(string Tarball, bool Cached)> TarballAsync(IProcessRunner runner, CancellationToken cancellationToken)
    {
        var sources = MirrorLines();
        var key = Checksums.Sha256(Encoding.UTF8.GetBytes(string.Join('\n', ["bookworm", "minbase", .. Packages, .. sources])))[..16];
        var tarball = Path.Combine(CacheDirectory, "rootfs", $"bookworm-minbase-{key}.tar");
        if (File.Exists(tarball))
        {
            return (tarball, true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(tarball)!);
        var partial = $"{tarball}.{Guid.NewGuid():N}.partial";
        try
        {
            await runner.RunAsync(RealTool.Spec("mmdebstrap",
            [
                // unshare mode: no mounts on the host, the same as an unprivileged build would do.
                "--mode=unshare", "--variant=minbase", "--format=tar", "--include=" + string.Join(',', Packages),
                "bookworm", partial, .. sources,
            ]) with { Timeout = TimeSpan.FromMinutes(30) }, cancellationToken);
            File.Move(partial, tarball);
        }
        finally
        {
            File.Delete(partial);
        }

        return (tarball, false);
    }

    /// <summary>
    /// One-line sources (<c>deb URI SUITE COMPONENTS</c>) for every suite of the host's apt sources, read by the product's own
    /// parser, so that no mirror host name is ever written into the repository.
    /// </summary>
    private static IReadOnlyList<string> MirrorLines()
    {
        var lines = HostAptSources.Load().Entries
            .Where(e => e.Components.Count > 0)
            .SelectMany(e => e.Suites.Select(suite => $"deb {e.Uri} {suite} {string.Join(' ', e.Components)}"))
            .ToList();
        return lines.Count > 0
            ? lines
            : throw new InvalidOperationException("the boot proof builds its rootfs from the host's Debian mirror, but /etc/apt names no 'deb' source with components");
    }

    /// <summary>Unpacks the tarball with owners, modes and devices kept (as root; unprivileged, owners become the caller).</summary>
    public static Task ExtractAsync(IProcessRunner runner, string tarball, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        return runner.RunAsync(RealTool.Spec("tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-xpf", tarball, "-C", directory),
            cancellationToken);
    }
}
