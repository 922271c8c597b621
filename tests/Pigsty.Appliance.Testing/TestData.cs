namespace Pigsty.Appliance.Testing;

/// <summary>Test data is copied next to the test assembly; this resolves paths there, never by searching.</summary>
public static class TestData
{
    /// <summary>The absolute path of a file or folder copied to the test output directory.</summary>
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, .. parts]);
}
