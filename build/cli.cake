// Runs the published pigsty-appliance: the Cake targets are thin; the work and its errors live in the CLI.
void PublishCli(string configuration)
{
    // A no-change Bundle should take seconds: MSBuild's own up-to-date check still costs several, so a stamp of every
    // input (path, size, time) next to the binary lets an unchanged tree skip the publish altogether.
    var stamp = $"{Paths.Publish}/.inputs.sha256";
    var inputs = PublishInputsHash(configuration);
    if (System.IO.File.Exists(Paths.Cli) && System.IO.File.Exists(stamp) && System.IO.File.ReadAllText(stamp) == inputs)
    {
        Information($"publish: {Paths.Cli} is up to date with src/ and the build settings (inputs {inputs[..12]})");
        return;
    }

    // The SDK reuses obj/…/R2R between publishes without noticing a change of PublishReadyToRunComposite: a checkout that
    // published the composite image before got a binary that aborted at once (SIGABRT, no message). The stamp names the mode.
    var r2r = $"src/Pigsty.Appliance.Cli/obj/{configuration}/net10.0/linux-x64/R2R";
    var r2rMode = $"{r2r}/.per-assembly";
    if (System.IO.Directory.Exists(r2r) && !System.IO.File.Exists(r2rMode))
    {
        Information($"publish: {r2r} holds a composite ReadyToRun image; removing it");
        System.IO.Directory.Delete(r2r, recursive: true);
    }

    DotNetPublish("src/Pigsty.Appliance.Cli/Pigsty.Appliance.Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        Runtime = "linux-x64",
        SelfContained = true,
        OutputDirectory = Paths.Publish,
        MSBuildSettings = new DotNetMSBuildSettings()
            .WithProperty("PublishSingleFile", "true")
            // Uncompressed: a compressed single file inflates every assembly into anonymous memory at each start. Measured
            // here: --version 55 → 32 MiB peak and 0.77 → 0.33 s; a no-change bundle 154-185 → 140-156 MiB; the file grows 42 → 80 MB.
            .WithProperty("EnableCompressionInSingleFile", "false")
            // Precompiled (ReadyToRun): first boot runs under a slow CPU (TCG in BootTest), where every method the JIT compiles
            // costs. Measured here: inventory check 0.40 → 0.26 s; the file grows 80 → 106 MB.
            .WithProperty("PublishReadyToRun", "true")
            // One R2R image per assembly, not the SDK's default for single files (a composite of the whole framework): the composite's
            // 77 MB image is mapped and much of it touched at every start. Measured here: --version 42 → 31 MiB peak; a no-change
            // bundle 157 → 146 MiB; the file shrinks 127 → 106 MB.
            .WithProperty("PublishReadyToRunComposite", "false"),
    });
    System.IO.File.WriteAllText(r2rMode, "");

    // A binary that does not start must not reach a bundle or an image.
    var version = Capture(Paths.Cli, new[] { "--version" }, allowFailure: false).Trim();
    Information($"publish: {Paths.Cli} {version}");
    System.IO.File.WriteAllText(stamp, inputs);
}

// What the published CLI is made from: sources and project files under src/, the repo-wide build settings, the publish
// settings in this file, the configuration.
string PublishInputsHash(string configuration)
{
    var files = System.IO.Directory.EnumerateFiles("src", "*", System.IO.SearchOption.AllDirectories)
        .Where(f => !f.Split(System.IO.Path.DirectorySeparatorChar).Any(d => d == "bin" || d == "obj"))
        .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", "build/cli.cake" }.Where(System.IO.File.Exists))
        .OrderBy(f => f, StringComparer.Ordinal);
    var text = new System.Text.StringBuilder(configuration).Append('\n');
    foreach (var file in files)
    {
        var info = new System.IO.FileInfo(file);
        text.Append(file).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
    }

    return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString()))).ToLowerInvariant();
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
