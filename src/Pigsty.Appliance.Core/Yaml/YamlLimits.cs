namespace Pigsty.Appliance.Core.Yaml;

/// <summary>Bounds on every YAML input (inventory, seed, recipe, image definition), so that a hostile file fails as input, not as a crash.</summary>
public static class YamlLimits
{
    /// <summary>The largest file read: Pigsty's biggest inventories are tens of KiB.</summary>
    public const long MaxFileBytes = 4L << 20;

    /// <summary>The deepest nesting, counted in values from the root (Pigsty's inventories use fewer than ten levels).</summary>
    public const int MaxDepth = 64;

    /// <summary>The most values that aliases may add to the tree when expanded (a "billion laughs" adds billions).</summary>
    public const int MaxAliasedValues = 10_000;
}
