namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>A tiny package to build with dpkg-deb: control fields and how many payload bytes it carries.</summary>
internal sealed record DebSpec(string Name, string Version, string Architecture = "amd64", string? Depends = null, int PayloadBytes = 1024);
