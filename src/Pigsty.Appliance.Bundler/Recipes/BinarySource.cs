namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>Where a binary component's asset comes from; exactly one kind per component.</summary>
public abstract record BinarySource
{
    /// <summary>How the lock file names the source: host-independent (a local file is named by its file name only).</summary>
    public abstract string LockLabel { get; }
}
