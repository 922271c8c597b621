using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Tests.Modules;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Machine;

/// <summary>
/// The repair of an interrupted dpkg run against a real dpkg database in a temp root: the states a power cut leaves (a package
/// unpacked but not configured, an entry in dpkg's journal) are found, and real dpkg and apt-get finish them.
/// </summary>
public sealed class InterruptedDpkgTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private string Admin => Path.Join(_root.Path, "var/lib/dpkg");

    private AptPackageManager Manager(IProcessRunner processes) => new(processes, new LocalFileSystem(ProcessRunner.Silent, _root.Path),
        new AptEnvironment([$"--root={_root.Path}"], [$"--admindir={Admin}"],
            ["-o", $"Dir={_root.Path}", "-o", $"Dir::State::status={Admin}/status", "-o", $"DPkg::Options::=--root={_root.Path}"]));

    /// <summary>A dpkg database whose status file gives each package the given state (no maintainer scripts).</summary>
    private void Database(params (string Package, string Status)[] packages)
    {
        foreach (var directory in new[] { "var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc/apt/apt.conf.d",
            "etc/apt/preferences.d", "etc/apt/sources.list.d", "var/cache/apt/archives/partial", "var/lib/apt/lists/partial", "var/log/apt", "usr/sbin" })
        {
            Directory.CreateDirectory(Path.Join(_root.Path, directory));
        }

        File.WriteAllText(Path.Join(Admin, "available"), "");
        File.WriteAllText(Path.Join(_root.Path, "etc/apt/sources.list"), "");
        File.WriteAllText(Path.Join(Admin, "status"), string.Concat(packages.Select(p => Stanza(p.Package, p.Status))));
        foreach (var (package, _) in packages)
        {
            // No md5sums on purpose: dpkg --audit names such packages, yet nothing is unfinished about them.
            File.WriteAllText(Path.Join(Admin, $"info/{package}.list"), "");
        }
    }

    private static string Stanza(string package, string status) =>
        $"Package: {package}\nStatus: install ok {status}\nPriority: optional\nSection: misc\nMaintainer: Test <test@example.org>\n"
        + $"Architecture: all\nVersion: 1.0\nDescription: {package}\n\n";

    private string Status(string package) =>
        ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-query", $"--admindir={Admin}", "-W", "-f=${db:Status-Status}", package), CancellationToken.None)
            .GetAwaiter().GetResult().StandardOutput;

    [Fact]
    public async Task A_package_left_unpacked_is_configured_and_named()
    {
        Database(("etcd", "installed"), ("patroni", "unpacked"));

        var repaired = await Manager(new RootedProcesses(_root.Path)).RepairAsync(CancellationToken.None);

        Assert.Equal("repaired an interrupted dpkg run (patroni (unpacked)): dpkg --configure -a, apt-get -f install", repaired);
        Assert.Equal("installed", Status("patroni"));
        Assert.False(File.Exists(Path.Join(_root.Path, "usr/sbin/policy-rc.d")));
    }

    [Fact]
    public async Task An_entry_in_dpkgs_journal_is_merged()
    {
        Database(("etcd", "installed"));
        File.WriteAllText(Path.Join(Admin, "updates/0001"), Stanza("etcd", "half-configured"));

        var repaired = await Manager(new RootedProcesses(_root.Path)).RepairAsync(CancellationToken.None);

        Assert.Equal("repaired an interrupted dpkg run (etcd (half-configured)): dpkg --configure -a, apt-get -f install", repaired);
        Assert.Equal("installed", Status("etcd"));
        Assert.Empty(Directory.GetFiles(Path.Join(Admin, "updates")));
    }

    [Fact]
    public async Task A_finished_database_runs_no_repair_even_with_packages_dpkg_audit_complains_about()
    {
        Database(("etcd", "installed"), ("patroni", "installed"));
        var processes = new RecordingRunner(new RootedProcesses(_root.Path));

        Assert.Null(await Manager(processes).RepairAsync(CancellationToken.None));

        Assert.DoesNotContain(processes.Calls, c => c.StartsWith("dpkg ", StringComparison.Ordinal) || c.StartsWith("apt-get", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_repair_that_leaves_a_package_unfinished_is_an_error_naming_it()
    {
        Database(("patroni", "unpacked"));

        // dpkg "succeeds" but finishes nothing (as when a maintainer script keeps failing in a way dpkg does not report).
        var processes = new ScriptedProcesses();
        processes.On(spec => spec.Tool == "dpkg-query", _ => ScriptedProcesses.Ok("patroni unpacked\n"));

        var error = await Assert.ThrowsAsync<Pigsty.Appliance.Core.Errors.ToolException>(() => Manager(processes).RepairAsync(CancellationToken.None));

        Assert.Contains("still unfinished: patroni (unpacked)", error.Message, StringComparison.Ordinal);
        Assert.Contains(processes.Calls, c => c.Contains("--configure -a", StringComparison.Ordinal));
    }

    /// <summary>Runs real processes and records what ran.</summary>
    private sealed class RecordingRunner(IProcessRunner inner) : IProcessRunner
    {
        public List<string> Calls { get; } = [];

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
        {
            lock (Calls)
            {
                Calls.Add(spec.Display());
            }

            return inner.RunAsync(spec, cancellationToken);
        }
    }
}
