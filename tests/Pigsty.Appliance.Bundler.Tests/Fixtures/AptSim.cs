using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>Stock apt in a root of its own (empty dpkg status, the flat repo as only source), as shared/bench/apt-sim.sh does.</summary>
internal sealed class AptSim(string root)
{
    /// <summary>The apt root directory.</summary>
    public string Root { get; } = root;

    /// <summary>Makes an apt root whose only source is <paramref name="sourceLine"/> (a one-line-style <c>deb …</c>).</summary>
    public static AptSim Create(string root, string sourceLine)
    {
        foreach (var dir in new[] { "etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "etc/apt/trusted.gpg.d",
                     "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg", "var/log/apt" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), sourceLine + "\n");
        return new AptSim(root);
    }

    /// <summary><c>apt-get update</c>; returns the result without throwing so tests can assert failures.</summary>
    public Task<ProcessResult> UpdateAsync() => AptGetAsync("update");

    /// <summary><c>apt-get install -s</c> of the packages.</summary>
    public Task<ProcessResult> SimulateInstallAsync(params string[] packages) => AptGetAsync(["-s", "install", .. packages]);

    private Task<ProcessResult> AptGetAsync(params string[] arguments)
    {
        string[] options =
        [
            "-o", $"Dir={Root}", "-o", $"Dir::State::status={Root}/var/lib/dpkg/status", "-o", "APT::Architecture=amd64",
            "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Install-Recommends=0",
            "-o", $"Dir::Etc::trusted={Root}/etc/apt/trusted.gpg", "-o", $"Dir::Etc::trustedparts={Root}/etc/apt/trusted.gpg.d",
            // The temp dirs are root's: without this apt warns that its _apt sandbox user cannot read them.
            "-o", "APT::Sandbox::User=root",
        ];
        return ProcessRunner.Silent.RunAsync(new ProcessSpec("apt-get", [.. options, .. arguments])
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(2),
        }, CancellationToken.None);
    }
}
