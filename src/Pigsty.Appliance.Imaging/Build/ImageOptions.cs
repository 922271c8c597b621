using Pigsty.Appliance.Imaging.Definition;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>Everything an image build needs besides the image definition's content.</summary>
public sealed record ImageOptions
{
    /// <summary>The image definition (images/*.yml).</summary>
    public required string DefinitionPath { get; init; }

    /// <summary>The bundle tarball (dist/pigsty-pkg-*.tgz) the root filesystem is built from.</summary>
    public required string BundlePath { get; init; }

    /// <summary>The self-contained installer executable to put at /opt/pigsty/bin/pigsty-appliance.</summary>
    public required string InstallerPath { get; init; }

    /// <summary>Directory holding the recipes (for the image base group).</summary>
    public required string RecipesDirectory { get; init; }

    public required string Version { get; init; }

    /// <summary>dist/.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Scratch space for the extracted bundle and the root filesystem tree.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Public key lines for the definition's admin user besides its own <c>authorized_keys</c> (the image command's --authorized-key).</summary>
    public IReadOnlyList<string> AuthorizedKeys { get; init; } = [];

    /// <summary>The modules the definition's <c>preinstall:</c> may name, with their packages (installed unconfigured, services disabled).</summary>
    public required IReadOnlyList<ImageModule> Modules { get; init; }
}
