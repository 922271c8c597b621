// Where things live; every target reads paths from here.
public static class Paths
{
    public const string Solution = "Pigsty.Appliance.sln";
    public const string Artifacts = "artifacts";
    public const string TestResults = "artifacts/test-results";
    public const string Dist = "dist";
    public const string Publish = "artifacts/publish/linux-x64";
    public const string Cli = Publish + "/pigsty-appliance";
}
