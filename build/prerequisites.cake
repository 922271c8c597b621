// Host packages come from the one list, build/host-packages.json (KnownTools and the tests' RealTool read it too).
// Prerequisites installs every category but boot-test; BootTest adds boot-test. Missing ones are installed on Debian as root.
string[] HostPackages(Func<string, bool> category)
{
    using var document = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(Paths.HostPackages));
    return document.RootElement.GetProperty("packages").EnumerateArray()
        .Where(p => category(p.GetProperty("category").GetString()))
        .Select(p => p.GetProperty("name").GetString())
        .ToArray();
}

void EnsurePrerequisites() => EnsurePackages(HostPackages(c => c != "boot-test"));

void EnsureBootTestPackages() => EnsurePackages(HostPackages(c => c == "boot-test"));

void EnsurePackages(string[] packages)
{
    var missing = packages.Where(p => !IsInstalled(p)).ToList();
    if (missing.Count == 0)
    {
        Information($"Prerequisites: all {packages.Length} host packages are installed.");
        return;
    }

    var canInstall = System.IO.File.Exists("/etc/debian_version") && Capture("id", new[] { "-u" }, allowFailure: false).Trim() == "0";
    if (!canInstall)
    {
        throw new CakeException("Prerequisites: missing host packages: " + string.Join(" ", missing)
            + "\nInstall them (on Debian: apt-get install " + string.Join(" ", missing) + ") and run again.");
    }

    Information("Prerequisites: installing " + string.Join(" ", missing));
    Run("apt-get", "update");
    Run("apt-get", new[] { "install", "-y", "--no-install-recommends" }.Concat(missing).ToArray(),
        new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" });
    var still = missing.Where(p => !IsInstalled(p)).ToList();
    if (still.Count > 0)
    {
        throw new CakeException("Prerequisites: apt-get did not install: " + string.Join(" ", still));
    }
}

bool IsInstalled(string package)
{
    var status = Capture("dpkg-query", new[] { "-W", "-f=${Status}", package }, allowFailure: true);
    return status.Contains("install ok installed");
}

string Capture(string tool, string[] args, bool allowFailure)
{
    var settings = new ProcessSettings { Arguments = ProcessArguments(args), RedirectStandardOutput = true, RedirectStandardError = true };
    var code = StartProcess(tool, settings, out IEnumerable<string> output);
    if (code != 0 && !allowFailure)
    {
        throw new CakeException($"{tool} exited with code {code}");
    }
    return string.Join("\n", output);
}

void Run(string tool, params string[] args) => Run(tool, args, null);

void Run(string tool, string[] args, IDictionary<string, string> environment)
{
    var settings = new ProcessSettings { Arguments = ProcessArguments(args), EnvironmentVariables = environment };
    var code = StartProcess(tool, settings);
    if (code != 0)
    {
        throw new CakeException($"{tool} exited with code {code}");
    }
}

// Each argument is quoted on its own: never one joined string a shell would re-split.
ProcessArgumentBuilder ProcessArguments(IEnumerable<string> args)
{
    var builder = new ProcessArgumentBuilder();
    foreach (var arg in args)
    {
        builder.AppendQuoted(arg);
    }
    return builder;
}
