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

void RunCli(string command, IEnumerable<string> arguments)
{
    var code = StartProcess(Paths.Cli, new ProcessSettings { Arguments = ProcessArguments(new[] { command }.Concat(arguments)) });
    if (code != 0)
    {
        throw new CakeException($"pigsty-appliance {command} exited with code {code}");
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
