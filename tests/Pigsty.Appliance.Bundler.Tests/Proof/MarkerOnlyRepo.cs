using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Bundler.Tests.Proof;

/// <summary>A repo directory holding only its <c>repo_complete</c>: a proof key reads the marker, never the packages.</summary>
internal static class MarkerOnlyRepo
{
    /// <summary>Writes (or rewrites) <paramref name="directory"/>'s marker listing <paramref name="files"/> with the digests of their contents.</summary>
    public static string Write(string directory, params (string Name, string Content)[] files)
    {
        var repo = Directory.CreateDirectory(directory).FullName;
        var list = ChecksumList.Format(files.Select(f => new RepoFile(f.Name, f.Content.Length, Checksums.Sha256(System.Text.Encoding.UTF8.GetBytes(f.Content)))));
        File.WriteAllText(Path.Combine(repo, RepoLayout.Marker), list);
        return repo;
    }
}
