using Pigsty.Appliance.Bundler.Apt;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>Four real .deb packages built once per test class: a dependency chain, an epoch version, an arch-all and a larger one.</summary>
public sealed class DebFixture : IAsyncLifetime, IDisposable
{
    private static readonly DebSpec[] Specs =
    [
        new("pigsty-app", "1.0-1", Depends: "pigsty-lib (>= 2.0), pigsty-data"),
        new("pigsty-lib", "1:2.0-1"),
        new("pigsty-data", "0.5-1", Architecture: "all"),
        new("pigsty-extra", "3.0-1", PayloadBytes: 300_000),
    ];

    private readonly TempDirectory _archive = new();
    private readonly Dictionary<string, byte[]> _bytes = new(StringComparer.Ordinal);

    /// <summary>The records, their source a placeholder; use <see cref="ServeFrom"/> to download them.</summary>
    public IReadOnlyList<PackageRecord> Packages { get; private set; } = [];

    /// <summary>The archive root holding <c>pool/…</c>.</summary>
    public string ArchiveRoot => _archive.Path;

    /// <summary>The .deb content of a record.</summary>
    public byte[] Bytes(PackageRecord package) => _bytes[package.Filename];

    public async Task InitializeAsync()
    {
        var packages = new List<PackageRecord>();
        foreach (var spec in Specs)
        {
            var record = await DebBuilder.BuildAsync(_archive.Path, spec, CancellationToken.None);
            _bytes[record.Filename] = await File.ReadAllBytesAsync(Path.Combine(_archive.Path, record.Filename));
            packages.Add(record);
        }

        Packages = packages;
    }

    /// <summary>Maps every package's pool path on <paramref name="server"/> and returns records whose source is that server.</summary>
    public IReadOnlyList<PackageRecord> ServeFrom(LoopbackHttpServer server)
    {
        var source = DebBuilder.PlaceholderSource with { BaseUri = new Uri(server.BaseUri, "debian/") };
        foreach (var package in Packages)
        {
            server.MapBytes("/debian/" + package.Filename, Bytes(package));
        }

        return Packages.Select(p => p with { Source = source }).ToList();
    }

    /// <summary>Puts every package into <paramref name="repoDir"/> under its flat name, as a fetch would.</summary>
    public void CopyInto(string repoDir)
    {
        Directory.CreateDirectory(repoDir);
        foreach (var package in Packages)
        {
            File.WriteAllBytes(Path.Combine(repoDir, package.DebFileName), Bytes(package));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _archive.Dispose();
}
