namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>An asset already on the build host (absolute path; relative ones are anchored at the recipe when loaded); needs no network.</summary>
public sealed record LocalFileSource(string Path) : BinarySource
{
    public override string LockLabel => $"file:{System.IO.Path.GetFileName(Path)}";

    public override string ToString() => $"file {Path}";
}
