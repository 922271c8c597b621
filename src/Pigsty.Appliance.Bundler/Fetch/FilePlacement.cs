namespace Pigsty.Appliance.Bundler.Fetch;

/// <summary>Puts a verified cache entry into the repo under its flat name: hard link when possible, else copy; atomic either way.</summary>
internal static class FilePlacement
{
    /// <summary>Replaces <paramref name="destination"/> with <paramref name="source"/>'s content; true when it became a hard link.</summary>
    public static bool Place(string source, string destination, bool allowLink = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var linked = allowLink && NativeFiles.TryHardLink(source, temp);
            if (!linked)
            {
                File.Copy(source, temp);
            }

            File.Move(temp, destination, overwrite: true);
            return linked;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
