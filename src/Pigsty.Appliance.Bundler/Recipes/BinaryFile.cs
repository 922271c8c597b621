namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>One installed file of a binary component: <paramref name="Member"/> of the archive (empty for a bare binary) → <paramref name="Target"/>.</summary>
public sealed record BinaryFile(string Member, string Target);
