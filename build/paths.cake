// Where things live; every target reads paths from here.
public static class Paths
{
    public const string Solution = "Pigsty.Appliance.sln";
    public const string Artifacts = "artifacts";
    public const string TestResults = "artifacts/test-results";
    public const string Dist = "dist";
    public const string Publish = "artifacts/publish/linux-x64";
    public const string Cli = Publish + "/pigsty-appliance";
    public const string BootTestPublish = "artifacts/publish/boottest";
    public const string BootTest = BootTestPublish + "/pigsty-boottest";

    // The Directory.Build.props version and the default recipe's os/arch name the outputs.
    public static string Version => System.Xml.Linq.XDocument.Load("Directory.Build.props").Descendants("Version").First().Value;
    public static string Bundle => $"{Dist}/pigsty-pkg-{Version}.d12.x86_64.tgz";
    public static string Image => $"{Dist}/pigsty-appliance-{Version}.d12.x86_64.img";
}
