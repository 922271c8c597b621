namespace Pigsty.Appliance.Bundler.Apt;

/// <summary>One binary (<c>deb</c>) source configured on the build host: a mirror URI with its suites and components.</summary>
/// <param name="Uri">The archive root, always ending with '/'.</param>
/// <param name="Suites">Suites served from that URI, e.g. <c>bookworm</c>, <c>bookworm-updates</c>.</param>
/// <param name="Components">Components, e.g. <c>main</c>.</param>
/// <param name="SignedBy">The keyring file named by <c>Signed-By</c>/<c>signed-by=</c>, or null when absent or given inline.</param>
/// <param name="Architectures">Architectures restricted by <c>Architectures</c>/<c>arch=</c>; empty when unrestricted.</param>
/// <param name="File">The file the entry came from, for messages.</param>
public sealed record HostAptEntry(
    Uri Uri,
    IReadOnlyList<string> Suites,
    IReadOnlyList<string> Components,
    string? SignedBy,
    IReadOnlyList<string> Architectures,
    string File);
