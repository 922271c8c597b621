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

// The programs of the other targets' releases (Debian 13: etcd 3.5, haproxy 3.0, Patroni 4, PostgreSQL 17) that tests judge
// rendered files with: unpacked from that release's .debs into /var/tmp/pigsty-appliance/tools/<os>/root (outside the clone, which
// may sit below a 0700 directory the tests' postgres user cannot enter; PIGSTY_TARGET_TOOLS moves it, as in TargetTools.Location),
// never installed; a second run is a no-op.
string TargetToolsDirectory(string os) =>
    System.IO.Path.Combine(EnvironmentVariable("PIGSTY_TARGET_TOOLS") is { Length: > 0 } moved ? moved : "/var/tmp/pigsty-appliance/tools", os);

void EnsureTargetTools()
{
    foreach (var os in new[] { "d13" })
    {
        Run("bash", "build/target-tools.sh", os, TargetToolsDirectory(os));
    }
}

void EnsureBootTestPackages() => EnsurePackages(HostPackages(c => c == "boot-test"));

void EnsurePackages(string[] packages)
{
    var installed = InstalledAmong(packages);
    var missing = packages.Where(p => !installed.Contains(p)).ToList();
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
    var before = InstalledPackages();
    try
    {
        WithoutServiceStarts(() => Run("apt-get", new[] { "install", "-y", "--no-install-recommends" }.Concat(missing).ToArray(),
            new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" }));
    }
    finally
    {
        // Also after a failed install: what did get installed must not come up on the next boot either.
        DisableServicesOf(InstalledPackages().Except(before).ToList());
    }

    var now = InstalledAmong(missing);
    var still = missing.Where(p => !now.Contains(p)).ToList();
    if (still.Count > 0)
    {
        throw new CakeException("Prerequisites: apt-get did not install: " + string.Join(" ", still));
    }
}

// A build host only needs the programs: nginx on :80, dnsmasq on :53, chrony, PostgreSQL, etcd... must not start. Debian's
// maintainer scripts ask policy-rc.d first; 101 means "not allowed". One that is already there is the admin's and stays.
void WithoutServiceStarts(Action install)
{
    const string policy = "/usr/sbin/policy-rc.d";
    var ours = !System.IO.File.Exists(policy);
    if (ours)
    {
        System.IO.File.WriteAllText(policy, "#!/bin/sh\n# written by pigsty-appliance's Prerequisites for the length of one apt-get install\nexit 101\n");
        System.IO.File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
    }

    try
    {
        install();
    }
    finally
    {
        if (ours)
        {
            System.IO.File.Delete(policy);
        }
    }
}

// policy-rc.d stops the starts, not the enabling: disable every unit the new packages (dependencies included) enabled, so
// that the next boot starts none of them either. systemctl edits the links itself when systemd is not PID 1 (containers,
// chroots); when it is, --now also stops anything that did start.
void DisableServicesOf(IReadOnlyList<string> packages)
{
    if (packages.Count == 0 || !System.IO.File.Exists("/usr/bin/systemctl") && !System.IO.File.Exists("/bin/systemctl"))
    {
        return;
    }

    var units = Capture("dpkg-query", new[] { "--listfiles" }.Concat(packages).ToArray(), allowFailure: true)
        .Split('\n')
        .Select(f => f.Trim())
        .Where(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^(/usr)?/lib/systemd/system/[^/@]+\.(service|socket|timer|path)$"))
        .Select(f => System.IO.Path.GetFileName(f))
        .Distinct()
        .Where(u => Capture("systemctl", new[] { "is-enabled", u }, allowFailure: true).Trim() == "enabled")
        .ToList();
    if (units.Count == 0)
    {
        return;
    }

    var booted = System.IO.Directory.Exists("/run/systemd/system");
    Information("Prerequisites: disabling " + string.Join(" ", units) + (booted ? " (and stopping them)" : ""));
    Run("systemctl", new[] { "disable", "--quiet" }.Concat(booted ? new[] { "--now" } : new string[0]).Concat(units).ToArray(), null);
}

HashSet<string> InstalledPackages() =>
    Capture("dpkg-query", new[] { "-W", "-f=${Package} ${db:Status-Status}\\n" }, allowFailure: false)
        .Split('\n')
        .Select(l => l.Split(' '))
        .Where(f => f.Length == 2 && f[1] == "installed")
        .Select(f => f[0])
        .ToHashSet();

// One dpkg-query for the whole list (it names the unknown ones on stderr and exits 1): one process per package cost seconds.
HashSet<string> InstalledAmong(IReadOnlyCollection<string> packages)
{
    var lines = Capture("dpkg-query", new[] { "-W", "-f=${Package}\t${Status}\n" }.Concat(packages).ToArray(), allowFailure: true);
    return lines.Split('\n')
        .Select(l => l.Split('\t'))
        .Where(f => f.Length == 2 && f[1].Contains("install ok installed"))
        .Select(f => f[0])
        .ToHashSet(StringComparer.Ordinal);
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
