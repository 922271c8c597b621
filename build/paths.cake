// Where things live; every target reads paths from here.
public static class Paths
{
    public const string Solution = "Pigsty.Appliance.sln";
    public const string HostPackages = "build/host-packages.json";
    public const string Artifacts = "artifacts";
    public const string TestResults = "artifacts/test-results";
    public const string VmTestResults = "artifacts/vm-test-results";
    public const string Dist = "dist";
    public const string Publish = "artifacts/publish/linux-x64";
    public const string Cli = Publish + "/pigsty-appliance";
    public const string BootTestPublish = "artifacts/publish/boottest";
    public const string BootTest = BootTestPublish + "/pigsty-boottest";
}

// The bundle and image an image definition makes, as the published CLI names them (pigsty-appliance layout --json):
// the names live in one place in the code (Core/Contract), and this script reads them rather than spelling them again.
(string Bundle, string Image) ReadLayout(IEnumerable<string> arguments)
{
    var settings = new ProcessSettings
    {
        Arguments = ProcessArguments(new[] { "layout", "--json", "--output", Paths.Dist }.Concat(arguments)),
        RedirectStandardOutput = true,
    };
    var code = StartProcess(Paths.Cli, settings, out IEnumerable<string> output);
    if (code != 0)
    {
        throw new CakeException($"pigsty-appliance layout exited with code {code}");
    }

    using var layout = System.Text.Json.JsonDocument.Parse(string.Join("\n", output));
    return (layout.RootElement.GetProperty("bundle").GetString(), layout.RootElement.GetProperty("image").GetString());
}
