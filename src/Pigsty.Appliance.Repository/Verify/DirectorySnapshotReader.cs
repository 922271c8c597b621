using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Repository.Verify;

/// <summary>Reads an extracted bundle directory: hashes every file (in parallel), keeps metadata files in memory.</summary>
internal static class DirectorySnapshotReader
{
    public static async Task<BundleSnapshot> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var snapshot = new BundleSnapshot();
        var files = new List<FileInfo>();
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            if (entry is FileInfo { LinkTarget: null } file)
            {
                files.Add(file);
            }
            else
            {
                snapshot.Problems.Add($"{entry.Name}: unexpected {(entry is DirectoryInfo ? "directory" : "link")} in a flat repo");
            }
        }

        var read = new SnapshotFile[files.Count];
        await Parallel.ForAsync(0, files.Count,
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var file = files[i];
                if (RepoLayout.MetadataFiles.Contains(file.Name))
                {
                    var content = await File.ReadAllBytesAsync(file.FullName, token);
                    read[i] = new SnapshotFile(file.Name, content.Length, Checksums.Sha256(content), content);
                }
                else
                {
                    read[i] = new SnapshotFile(file.Name, file.Length, await Checksums.Sha256FileAsync(file.FullName, token), null);
                }
            });
        foreach (var file in read)
        {
            snapshot.Files.Add(file.Name, file);
        }

        return snapshot;
    }
}
