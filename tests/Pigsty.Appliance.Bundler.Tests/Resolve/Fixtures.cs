using System.Text;
using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Bundler.Resolve;

namespace Pigsty.Appliance.Bundler.Tests.Resolve;

/// <summary>Builds small package universes from Packages text written in the tests (Filename, Size and SHA256 filled in).</summary>
internal static class Fixtures
{
    public static AptSource Source(string suite = "bookworm") =>
        new("debian", new Uri("http://mirror.invalid/debian/"), suite, ["main"], "amd64", "/usr/share/keyrings/debian-archive-keyring.gpg");

    /// <summary>Paragraphs of <c>Package/Version/…</c>; each gets a Filename, Size and SHA256 unless it has them.</summary>
    public static IReadOnlyList<IndexedPackage> Entries(string text, string suite = "bookworm") =>
        PackagesParser.Read(Encoding.UTF8.GetBytes(Complete(text)), Source(suite), $"fixture {suite}");

    /// <summary>The Packages text of <see cref="Entries"/>: Architecture (amd64 unless given), Filename, Size and SHA256 added.</summary>
    public static string Complete(string text)
    {
        var paragraphs = text.Replace("\r", "", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var completed = paragraphs.Select(p =>
        {
            var name = Field(p, "Package");
            var version = Field(p, "Version");
            var arch = Field(p, "Architecture") ?? "amd64";
            var extra = (Field(p, "Architecture") is null ? "\nArchitecture: amd64" : "")
                + $"\nFilename: pool/main/{name![0]}/{name}/{name}_{version}_{arch}.deb\nSize: 1000\nSHA256: {new string('a', 64)}";
            return p + extra;
        });
        return string.Join("\n\n", completed) + "\n";
    }

    public static PackageUniverse Universe(string text) => new(Entries(text));

    public static PackageUniverse Universe(params (string Suite, string Text)[] suites) =>
        new(suites.Select(s => Entries(s.Text, s.Suite)));

    /// <summary>Resolves without the required base unless asked, so tests see only what their requests pull in.</summary>
    public static Resolution Solve(PackageUniverse universe, params string[] names) =>
        Resolver.Resolve(universe, ResolveRequest.For(names) with { IncludeRequiredBase = false });

    /// <summary>name=version for every selected package, in selection order.</summary>
    public static string[] Selected(Resolution resolution) =>
        resolution.Packages.Select(p => $"{p.Name}={p.Entry.Version}").ToArray();

    private static string? Field(string paragraph, string name) =>
        paragraph.Split('\n').Where(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
}
