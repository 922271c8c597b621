using System.Formats.Tar;
using System.IO.Compression;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Bundler.Tests.Binaries;

/// <summary>Release assets the tests build themselves: a tiny 'hello-svc' shell script, bare or in a .tar.gz / .zip.</summary>
internal static class Assets
{
    /// <summary>The payload: a real executable script, so dpkg and apt have a real binary to carry.</summary>
    public static readonly byte[] Script = AtomicFile.Utf8.GetBytes("#!/bin/sh\necho hello from hello-svc\n");

    /// <summary>The second program of the archives: hello-cli.</summary>
    public static readonly byte[] Cli = AtomicFile.Utf8.GetBytes("#!/bin/sh\necho cli\n");

    /// <summary>Every entry's mtime, so that each call gives the same bytes.</summary>
    private static readonly DateTimeOffset Fixed = new(2024, 1, 2, 3, 4, 6, TimeSpan.Zero);

    /// <summary>hello-svc-1.0/bin/hello-svc, hello-svc-1.0/bin/hello-cli and a README, gzip'd tar.</summary>
    public static byte[] TarGz(byte[]? script = null)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            tar.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "hello-svc-1.0/bin/") { ModificationTime = Fixed });
            foreach (var (name, content) in Members(script))
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content), ModificationTime = Fixed });
            }
        }

        return output.ToArray();
    }

    /// <summary>The same members in a zip.</summary>
    public static byte[] Zip()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in Members(null))
            {
                var entry = zip.CreateEntry(name);
                entry.LastWriteTime = Fixed;
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return output.ToArray();
    }

    /// <summary>A component parsed from the YAML body of one <c>binaries:</c> entry named hello-svc, as the recipe loader reads it.</summary>
    public static BinarySpec Component(string body, string recipePath = "/r/tiny.yml", string name = "hello-svc")
    {
        var lines = body.Contains("version:", StringComparison.Ordinal) ? body : "version: '1.0'\n" + body;
        var indented = string.Join('\n', lines.Split('\n').Select(l => "    " + l));
        var recipe = RecipeLoader.Parse($"""
            name: tiny
            os: d12
            arch: amd64
            upstreams:
              debian: {"{"} url: host, suites: [bookworm], components: [main] {"}"}
            groups:
              g: {"{"} packages: [hello] {"}"}
            binaries:
              {name}:
            {indented}
            """, recipePath);
        return recipe.Binaries.Single();
    }

    private static IEnumerable<(string Name, byte[] Content)> Members(byte[]? script) =>
    [
        ("hello-svc-1.0/bin/hello-svc", script ?? Script),
        ("hello-svc-1.0/bin/hello-cli", Cli),
        ("hello-svc-1.0/README", AtomicFile.Utf8.GetBytes("read me\n")),
    ];
}
