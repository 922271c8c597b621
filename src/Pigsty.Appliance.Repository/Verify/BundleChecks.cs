using System.Globalization;
using System.IO.Compression;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>The checks that need no external tool: marker, indexes against the files, Release hashes, manifest.</summary>
internal static class BundleChecks
{
    /// <summary>Checks <c>repo_complete</c>: present, well-formed, every listed file there with its digest, nothing unlisted.</summary>
    public static void Marker(BundleSnapshot snapshot, List<string> problems)
    {
        if (snapshot.Content(RepoLayout.Marker) is not { } marker)
        {
            problems.Add($"{RepoLayout.Marker} is missing: the repo is incomplete (interrupted build or extraction) or was never sealed");
            return;
        }

        if (!ChecksumList.TryParse(AtomicFile.Utf8.GetString(marker), out var entries, out var error))
        {
            problems.Add($"{RepoLayout.Marker}: {error}");
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!listed.Add(entry.Name))
            {
                problems.Add($"{RepoLayout.Marker} lists {entry.Name} twice");
            }
            else if (!snapshot.Files.TryGetValue(entry.Name, out var file))
            {
                problems.Add($"{entry.Name} is missing (listed in {RepoLayout.Marker})");
            }
            else if (file.Sha256 != entry.Sha256)
            {
                problems.Add($"{entry.Name}: SHA-256 is {file.Sha256}, {RepoLayout.Marker} lists {entry.Sha256} (tampered or corrupt)");
            }
        }

        foreach (var name in snapshot.Files.Keys.Where(n => n != RepoLayout.Marker && !listed.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{name} is an extra file, not listed in {RepoLayout.Marker}");
        }
    }

    /// <summary>Checks Packages and Packages.gz agree, and that they list exactly the bundle's .deb files with their sizes and digests.</summary>
    /// <returns>The number of packages listed.</returns>
    public static int Packages(BundleSnapshot snapshot, List<string> problems)
    {
        var plain = snapshot.Content(RepoLayout.Packages);
        var gz = snapshot.Content(RepoLayout.PackagesGz);
        byte[]? unzipped = null;
        if (gz is null)
        {
            problems.Add($"{RepoLayout.PackagesGz} is missing");
        }
        else
        {
            (unzipped, var problem) = Gunzip(gz, PackagesLimit(snapshot, plain));
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        if (plain is null)
        {
            problems.Add($"{RepoLayout.Packages} is missing");
        }
        else if (unzipped is not null && !plain.AsSpan().SequenceEqual(unzipped))
        {
            problems.Add($"{RepoLayout.PackagesGz} does not decompress to {RepoLayout.Packages}");
        }

        var index = plain ?? unzipped;
        var indexName = plain is null ? RepoLayout.PackagesGz : RepoLayout.Packages;
        if (index is null)
        {
            return 0;
        }

        List<ControlStanza> stanzas;
        try
        {
            stanzas = ControlStanza.ParseAll(new StringReader(AtomicFile.Utf8.GetString(index))).ToList();
        }
        catch (FormatException e)
        {
            problems.Add($"{indexName}: {e.Message}");
            return 0;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < stanzas.Count; i++)
        {
            CheckEntry(snapshot, stanzas[i], $"{indexName} entry {i + 1} ({stanzas[i]["Package"] ?? "no Package field"})", listed, problems);
        }

        foreach (var deb in snapshot.Files.Keys.Where(n => n.EndsWith(".deb", StringComparison.Ordinal) && !listed.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{deb} is not listed in {indexName}");
        }

        return stanzas.Count;
    }

    /// <summary>Checks the SHA256 section of a Release text against the files, and that it covers both package indexes.</summary>
    public static void Release(BundleSnapshot snapshot, string label, byte[] release, List<string> problems)
    {
        if (!ReleaseFile.TryParse(AtomicFile.Utf8.GetString(release), out var parsed, out var error))
        {
            problems.Add($"{label}: {error}");
            return;
        }

        foreach (var entry in parsed.Files.Values)
        {
            if (!snapshot.Files.TryGetValue(entry.Path, out var file))
            {
                problems.Add($"{label} lists {entry.Path}, which is not in the bundle");
            }
            else if (file.Size != entry.Size || !string.Equals(file.Sha256, entry.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"{entry.Path}: {label} lists {entry.Size} bytes with SHA-256 {entry.Sha256}, the file is {file.Size} bytes with {file.Sha256}");
            }
        }

        foreach (var index in new[] { RepoLayout.Packages, RepoLayout.PackagesGz }.Where(i => !parsed.Files.ContainsKey(i)))
        {
            problems.Add($"{label} does not list {index}");
        }
    }

    /// <summary>Checks that manifest.json lists every file (except itself and the marker) with the size and digest found.</summary>
    public static void Manifest(BundleSnapshot snapshot, List<string> problems)
    {
        if (snapshot.Content(RepoLayout.Manifest) is not { } manifest)
        {
            problems.Add($"{RepoLayout.Manifest} is missing");
            return;
        }

        if (!SealedManifest.TryReadFiles(manifest, out var files, out var error))
        {
            problems.Add($"{RepoLayout.Manifest}: {error}");
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in files)
        {
            listed.Add(entry.Name);
            if (!snapshot.Files.TryGetValue(entry.Name, out var file))
            {
                problems.Add($"{entry.Name} is missing (listed in {RepoLayout.Manifest})");
            }
            else if (file.Size != entry.Size || file.Sha256 != entry.Sha256)
            {
                problems.Add($"{entry.Name}: {RepoLayout.Manifest} lists {entry.Size} bytes with SHA-256 {entry.Sha256}, the file is {file.Size} bytes with {file.Sha256}");
            }
        }

        foreach (var name in snapshot.Files.Keys.Where(n => n is not (RepoLayout.Manifest or RepoLayout.Marker) && !listed.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"{name} is not listed in {RepoLayout.Manifest}");
        }
    }

    private static void CheckEntry(BundleSnapshot snapshot, ControlStanza stanza, string label, HashSet<string> listed, List<string> problems)
    {
        var filename = stanza["Filename"];
        var sizeText = stanza["Size"];
        var sha256 = stanza["SHA256"];
        if (filename is null || sizeText is null || sha256 is null)
        {
            problems.Add($"{label} lacks Filename, Size or SHA256");
            return;
        }

        var name = filename.StartsWith("./", StringComparison.Ordinal) ? filename[2..] : filename;
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            problems.Add($"{label}: Filename '{filename}' is not a file in this flat repo");
            return;
        }

        listed.Add(name);
        if (!snapshot.Files.TryGetValue(name, out var file))
        {
            problems.Add($"{label}: {name} is not in the bundle");
        }
        else if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != file.Size)
        {
            problems.Add($"{name}: {label} lists Size {sizeText}, the file is {file.Size} bytes");
        }
        else if (!string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{name}: {label} lists SHA256 {sha256}, the file's is {file.Sha256}");
        }
    }

    /// <summary>How far Packages.gz may inflate: to the size Release lists for Packages, which anything larger cannot match.</summary>
    private static (long Bytes, string Source) PackagesLimit(BundleSnapshot snapshot, byte[]? plain)
    {
        if (snapshot.Content(RepoLayout.Release) is { } release
            && ReleaseFile.TryParse(AtomicFile.Utf8.GetString(release), out var parsed, out _)
            && parsed.Files.TryGetValue(RepoLayout.Packages, out var entry))
        {
            return (entry.Size, $"the {entry.Size} bytes {RepoLayout.Release} lists for {RepoLayout.Packages}");
        }

        return plain is not null
            ? (plain.Length, $"the {plain.Length} bytes of {RepoLayout.Packages}")
            : (TarSnapshotReader.MaxMetadataSize, $"{TarSnapshotReader.MaxMetadataSize} bytes, the most kept of an index");
    }

    /// <summary>Inflates Packages.gz in chunks and stops past <paramref name="limit"/>: a small bomb must not fill the memory.</summary>
    private static (byte[]? Result, string? Problem) Gunzip(byte[] data, (long Bytes, string Source) limit)
    {
        try
        {
            using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[1 << 16];
            int n;
            while ((n = input.Read(chunk)) > 0)
            {
                if (output.Length + n > limit.Bytes)
                {
                    return (null, $"{RepoLayout.PackagesGz} decompresses to more than {limit.Source}");
                }

                output.Write(chunk, 0, n);
            }

            return (output.ToArray(), null);
        }
        catch (InvalidDataException e)
        {
            return (null, $"{RepoLayout.PackagesGz} is not valid gzip: {e.Message}");
        }
    }
}
