namespace Pigsty.Appliance.Core.Processes;

/// <summary>One Debian package a build host needs, from <c>build/host-packages.json</c>.</summary>
/// <param name="Name">The Debian package name.</param>
/// <param name="Category">Why it is there: build, image, test or boot-test (see <see cref="HostPackageList.Categories"/>).</param>
/// <param name="Reason">What of ours needs it, in a few words.</param>
/// <param name="Programs">The programs of it that our code or tests run, by file name.</param>
public sealed record HostPackage(string Name, string Category, string Reason, IReadOnlyList<string> Programs);
