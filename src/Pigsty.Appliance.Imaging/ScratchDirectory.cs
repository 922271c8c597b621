namespace Pigsty.Appliance.Imaging;

/// <summary>A private temporary directory for a tool's intermediate files, removed with everything in it on dispose.</summary>
internal sealed class ScratchDirectory : IDisposable
{
    private readonly DirectoryInfo _directory;

    public ScratchDirectory(string purpose)
    {
        _directory = Directory.CreateTempSubdirectory($"pigsty-{purpose}-");
    }

    public string Path => _directory.FullName;

    /// <summary>A path inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(_directory.FullName, name);

    public void Dispose()
    {
        try
        {
            _directory.Delete(recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: nothing to clean.
        }
    }
}
