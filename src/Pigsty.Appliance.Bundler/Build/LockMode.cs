namespace Pigsty.Appliance.Bundler.Build;

/// <summary>How the lock file takes part in a build.</summary>
public enum LockMode
{
    /// <summary>Resolve current versions; create the lock if there is none, otherwise report how it differs (never rewrite it silently).</summary>
    Default,

    /// <summary>Reproduce the lock exactly; fail when a locked version is gone upstream or the recipe asks for more.</summary>
    Locked,

    /// <summary>Resolve current versions and rewrite the lock.</summary>
    Update,
}
