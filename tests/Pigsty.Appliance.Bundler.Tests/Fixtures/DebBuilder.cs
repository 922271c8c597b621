using System.Globalization;
using System.Security.Cryptography;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Testing;
using Pigsty.Appliance.Repository.Apt;

namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>Builds real .deb files with dpkg-deb into a Debian-style pool and returns their index records.</summary>
internal static class DebBuilder
{
    /// <summary>The source every fixture record names until a test points it at its own server.</summary>
    public static readonly AptSource PlaceholderSource =
        new("fixture", new Uri("http://127.0.0.1:9/debian/"), "bookworm", ["main"], "amd64", "/dev/null");

    /// <summary>Builds <paramref name="spec"/> under <c>archiveRoot/pool/main/…</c>; the payload is random so every build differs.</summary>
    public static async Task<PackageRecord> BuildAsync(string archiveRoot, DebSpec spec, CancellationToken cancellationToken)
    {
        var upstreamVersion = spec.Version.Contains(':', StringComparison.Ordinal) ? spec.Version[(spec.Version.IndexOf(':', StringComparison.Ordinal) + 1)..] : spec.Version;
        var relative = $"pool/main/{spec.Name[0]}/{spec.Name}/{spec.Name}_{upstreamVersion}_{spec.Architecture}.deb";
        var output = Path.Combine(archiveRoot, relative);

        var payload = RandomNumberGenerator.GetBytes(spec.PayloadBytes);
        await DebPackage.BuildAsync(output, Control(spec), new Dictionary<string, byte[]> { [$"usr/share/doc/{spec.Name}/payload.bin"] = payload }, cancellationToken);

        var bytes = await File.ReadAllBytesAsync(output, cancellationToken);
        var sha256 = Checksums.Sha256(bytes);
        var stanza = ControlStanza.ParseAll(new StringReader(Control(spec))).Single()
            .With("Filename", relative)
            .With("Size", bytes.Length.ToString(CultureInfo.InvariantCulture))
            .With("MD5sum", new string('5', 32))
            .With("SHA256", sha256);
        return new PackageRecord(spec.Name, spec.Version, spec.Architecture, relative, bytes.Length, sha256, PlaceholderSource, stanza);
    }

    private static string Control(DebSpec spec)
    {
        var depends = spec.Depends is null ? "" : $"Depends: {spec.Depends}\n";
        return $"""
            Package: {spec.Name}
            Version: {spec.Version}
            Architecture: {spec.Architecture}
            Maintainer: Pigsty Tests <tests@pigsty.invalid>
            Installed-Size: {(spec.PayloadBytes / 1024) + 1}
            {depends}Section: misc
            Priority: optional
            Description: fixture package {spec.Name}
             Built by the Pigsty.Appliance tests with dpkg-deb.

            """;
    }
}
