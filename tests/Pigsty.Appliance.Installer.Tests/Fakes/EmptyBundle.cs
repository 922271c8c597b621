using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>A local repository with no packages, as a sealed bundle would leave it: an index and the manifest naming its target (os).</summary>
internal static class EmptyBundle
{
    public static string Write(TempDirectory temp, string os = "d12")
    {
        temp.Write("repo/manifest.json", $$"""{ "format": "pigsty-appliance-bundle/1", "os": "{{os}}" }""");
        return Path.GetDirectoryName(temp.Write("repo/Packages", ""))!;
    }
}
