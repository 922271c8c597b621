// Runs the published pigsty-appliance: the Cake targets are thin; the work and its errors live in the CLI.
void PublishCli(string configuration)
{
    DotNetPublish("src/Pigsty.Appliance.Cli/Pigsty.Appliance.Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        Runtime = "linux-x64",
        SelfContained = true,
        OutputDirectory = Paths.Publish,
        MSBuildSettings = new DotNetMSBuildSettings()
            .WithProperty("PublishSingleFile", "true")
            .WithProperty("EnableCompressionInSingleFile", "true"),
    });
}

// The boot-test harness is its own program (pigsty-boottest), so that the pigsty-appliance every image carries does not hold it.
void PublishBootTest(string configuration)
{
    DotNetPublish("src/Pigsty.Appliance.BootTest/Pigsty.Appliance.BootTest.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = Paths.BootTestPublish,
    });
}

void RunCli(string command, IEnumerable<string> arguments) => RunProgram(Paths.Cli, $"pigsty-appliance {command}", new[] { command }.Concat(arguments));

void RunProgram(string program, string label, IEnumerable<string> arguments)
{
    var code = StartProcess(program, new ProcessSettings { Arguments = ProcessArguments(arguments) });
    if (code != 0)
    {
        throw new CakeException($"{label} exited with code {code}");
    }
}

// Cake arguments named here pass through to the CLI: --recipe=x → --recipe x; a flag without value → --flag.
IEnumerable<string> CliArguments(params string[] names)
{
    foreach (var name in names)
    {
        if (!HasArgument(name))
        {
            continue;
        }

        foreach (var value in Arguments<string>(name))
        {
            yield return "--" + name;
            if (!string.IsNullOrEmpty(value) && value != "true")
            {
                yield return value;
            }
        }
    }
}
