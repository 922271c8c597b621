using Pigsty.Appliance.Core.Processes;
using Xunit;

namespace Pigsty.Appliance.Testing;

/// <summary>
/// The programs of another Debian release than the build host's, unpacked from that release's packages by
/// <c>build/target-tools.sh</c> (the Prerequisites target runs it) into <c>/var/tmp/pigsty-appliance/tools/&lt;os&gt;/root</c>
/// (outside the clone: PostgreSQL's tests run its server as <c>postgres</c>, which cannot enter a clone below a 0700 directory such
/// as mktemp's; <c>PIGSTY_TARGET_TOOLS</c> moves it). Dynamically linked
/// ones run through the release's own loader and libraries, so nothing of them is installed on the host.
/// </summary>
public sealed class TargetTools
{
    private TargetTools(string os, string root)
    {
        Os = os;
        Root = root;
    }

    /// <summary>The target's OS tag (<c>d13</c>).</summary>
    public string Os { get; }

    /// <summary>The unpacked root: its files are at their Debian paths below it.</summary>
    public string Root { get; }

    /// <summary>Where the tools of <paramref name="os"/> are unpacked: build/prerequisites.cake passes the same directory.</summary>
    public static string Location(string os) =>
        Path.Combine(Environment.GetEnvironmentVariable("PIGSTY_TARGET_TOOLS") is { Length: > 0 } moved ? moved : "/var/tmp/pigsty-appliance/tools", os);

    /// <summary>The tools of <paramref name="os"/>, or a failed test naming the command that fetches them.</summary>
    public static TargetTools Require(string os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var root = Path.Combine(Location(os), "root");
        Assert.True(File.Exists(Path.Combine(root, "usr", "lib64", "ld-linux-x86-64.so.2")),
            $"the {os} tools are not in {root}: run build/target-tools.sh {os} {Location(os)} (or ./build.sh --target=Prerequisites)");
        return new TargetTools(os, root);
    }

    /// <summary>A path of the target's file system, inside <see cref="Root"/> (<c>/usr/sbin/haproxy</c> → <c>ROOT/usr/sbin/haproxy</c>).</summary>
    public string PathOf(string debianPath)
    {
        ArgumentNullException.ThrowIfNull(debianPath);
        return Root + debianPath;
    }

    /// <summary>
    /// A spec that runs the target's <paramref name="program"/> (a Debian path) with the target's loader and libraries; a static
    /// binary (etcd) runs as it is.
    /// </summary>
    public ProcessSpec Spec(string program, params string[] arguments)
    {
        var path = PathOf(program);
        Assert.True(File.Exists(path), $"{program} is not among the {Os} tools in {Root}: add its package to build/target-tools.sh");
        return IsStatic(path)
            ? new ProcessSpec(path, arguments)
            : new ProcessSpec(PathOf("/usr/lib64/ld-linux-x86-64.so.2"), ["--library-path", LibraryPath, path, .. arguments]);
    }

    /// <summary>The target's Python running one of its scripts (<c>/usr/bin/patroni</c>), with the target's Python packages.</summary>
    public ProcessSpec Python(string script, params string[] arguments) =>
        Spec("/usr/bin/python3.13", [PathOf(script), .. arguments]) with
        {
            Environment = new Dictionary<string, string?> { ["PYTHONPATH"] = PathOf("/usr/lib/python3/dist-packages"), ["PYTHONNOUSERSITE"] = "1" },
        };

    /// <summary>Runs a spec to the end (one minute at most) and returns the result, whatever the exit code.</summary>
    public static Task<ProcessResult> RunAsync(ProcessSpec spec) =>
        ProcessRunner.Silent.RunAsync(spec with { ThrowOnNonZeroExit = false, Timeout = TimeSpan.FromMinutes(1) }, CancellationToken.None);

    /// <summary>Runs a spec and asserts exit 0, showing its output otherwise.</summary>
    public static async Task<ProcessResult> CheckAsync(ProcessSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = await RunAsync(spec);
        Assert.True(result.ExitCode == 0,
            $"{string.Join(' ', spec.Arguments.Prepend(spec.FileName))} exited {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}");
        return result;
    }

    private string LibraryPath => $"{PathOf("/usr/lib/x86_64-linux-gnu")}:{PathOf("/lib/x86_64-linux-gnu")}";

    /// <summary>True when the ELF file has no program interpreter (PT_INTERP): Go's etcd.</summary>
    private static bool IsStatic(string path)
    {
        using var file = File.OpenRead(path);
        var header = new byte[64];
        file.ReadExactly(header);
        var tableOffset = BitConverter.ToInt64(header, 0x20);
        var entrySize = BitConverter.ToUInt16(header, 0x36);
        var count = BitConverter.ToUInt16(header, 0x38);
        var entry = new byte[entrySize];
        for (var i = 0; i < count; i++)
        {
            file.Position = tableOffset + (i * entrySize);
            file.ReadExactly(entry);
            if (BitConverter.ToUInt32(entry, 0) == 3)
            {
                return false;
            }
        }

        return true;
    }
}
