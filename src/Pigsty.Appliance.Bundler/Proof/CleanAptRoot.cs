using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Bundler.Proof;

/// <summary>Stock apt in a root of its own (empty dpkg status; only the given sources), so the host's packages and sources play no part.</summary>
public sealed partial class CleanAptRoot
{
    private readonly IProcessRunner _runner;
    private readonly string[] _options;

    private CleanAptRoot(IProcessRunner runner, string root)
    {
        _runner = runner;
        Root = root;
        _options =
        [
            "-o", $"Dir={root}", "-o", $"Dir::State::status={root}/var/lib/dpkg/status", "-o", "APT::Architecture=amd64",
            "-o", "APT::Architectures::=amd64", "-o", "Debug::NoLocking=1", "-o", "APT::Install-Recommends=0",
            "-o", $"Dir::Etc::trusted={root}/etc/apt/trusted.gpg", "-o", $"Dir::Etc::trustedparts={root}/etc/apt/trusted.gpg.d",
            "-o", "Acquire::Languages=none",
            // The temp dirs are root's: without this apt warns that its _apt sandbox user cannot read them.
            "-o", "APT::Sandbox::User=root",
        ];
    }

    /// <summary>The apt root directory.</summary>
    public string Root { get; }

    /// <summary>Makes an apt root whose only sources are <paramref name="sourceLines"/> (one-line <c>deb …</c> form).</summary>
    public static CleanAptRoot Create(IProcessRunner runner, string root, IEnumerable<string> sourceLines)
    {
        foreach (var directory in new[] { "etc/apt/sources.list.d", "etc/apt/preferences.d", "etc/apt/apt.conf.d", "etc/apt/trusted.gpg.d",
                     "var/lib/apt/lists/partial", "var/cache/apt/archives/partial", "var/lib/dpkg", "var/log/apt" })
        {
            Directory.CreateDirectory(Path.Combine(root, directory));
        }

        File.WriteAllText(Path.Combine(root, "var/lib/dpkg/status"), "");
        File.WriteAllText(Path.Combine(root, "etc/apt/sources.list"), string.Join('\n', sourceLines) + "\n");
        return new CleanAptRoot(runner, root);
    }

    /// <summary><c>apt-get update</c>; the result is returned, not thrown, so callers can assert failures.</summary>
    public Task<ProcessResult> UpdateAsync(CancellationToken cancellationToken) => AptGetAsync(cancellationToken, "-q", "update");

    /// <summary><c>apt-get install -s</c> of the packages.</summary>
    public Task<ProcessResult> SimulateInstallAsync(IEnumerable<string> packages, CancellationToken cancellationToken) =>
        AptGetAsync(cancellationToken, ["-s", "install", .. packages]);

    /// <summary>name → version of every <c>Inst</c> line of a simulated install.</summary>
    public static IReadOnlyDictionary<string, string> Installs(string simulation) =>
        InstLine().Matches(simulation).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);

    private Task<ProcessResult> AptGetAsync(CancellationToken cancellationToken, params string[] arguments) =>
        _runner.RunAsync(new ProcessSpec("apt-get", [.. _options, .. arguments])
        {
            ThrowOnNonZeroExit = false,
            Timeout = TimeSpan.FromMinutes(5),
        }, cancellationToken);

    [GeneratedRegex(@"^Inst (\S+) (?:\[[^\]]*\] )?\((\S+)", RegexOptions.Multiline)]
    private static partial Regex InstLine();
}
