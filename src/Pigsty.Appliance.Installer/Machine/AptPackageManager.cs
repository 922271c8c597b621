using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>
/// apt-get against the node's configured (local) repository, with a policy-rc.d so packages start nothing. One apt or dpkg run at a
/// time (steps run side by side, dpkg has one database); reading what is installed needs no turn.
/// </summary>
public sealed class AptPackageManager(IProcessRunner processes, IFileSystem files, AptEnvironment? environment = null) : IPackageManager
{
    private const string PolicyRcD = "/usr/sbin/policy-rc.d";

    /// <summary>dpkg's journal of a run in progress: entries left here mean a run was interrupted, and apt refuses to work.</summary>
    private const string UpdatesDirectory = "/var/lib/dpkg/updates";

    /// <summary>dpkg's states between "not installed" and "installed" (dpkg-query's <c>db:Status-Status</c>).</summary>
    private static readonly HashSet<string> UnfinishedStates =
        new(["half-installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending"], StringComparer.Ordinal);

    private static readonly string[] KeepConfig = ["--force-confdef", "--force-confold"];

    private static readonly Dictionary<string, string?> Environment = new()
    {
        ["DEBIAN_FRONTEND"] = "noninteractive",
        ["APT_LISTCHANGES_FRONTEND"] = "none",
    };

    private readonly AptEnvironment _apt = environment ?? AptEnvironment.Node;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public async Task<IReadOnlyList<string>> MissingAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        var installed = await InstalledAmongAsync(packages, cancellationToken);
        return packages.Where(p => !installed.Contains(p)).ToList();
    }

    public async Task<IReadOnlySet<string>> InstalledAsync(CancellationToken cancellationToken) => await InstalledAmongAsync([], cancellationToken);

    /// <summary>The installed ones of <paramref name="packages"/> (of every package when none is named), as dpkg-query sees them.</summary>
    private async Task<HashSet<string>> InstalledAmongAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        var result = await processes.RunAsync(new ProcessSpec("dpkg-query", [.. _apt.DpkgQueryOptions, "-W", "-f=${Package} ${db:Status-Status}\n", .. packages])
        {
            ThrowOnNonZeroExit = false,
        }, cancellationToken);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && p[1] == "installed")
            .Select(p => p[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    public Task InstallAsync(IReadOnlyList<string> packages, Func<string, Task>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        return InTurnAsync(async () =>
        {
            var newly = "";
            var unpacking = false;
            var reported = Task.CompletedTask;
            var install = AptGet([.. KeepConfigOptions, "install", "-y", "--no-install-recommends", .. packages]) with
            {
                Timeout = TimeSpan.FromMinutes(30),
                ThrowOnNonZeroExit = false,
                OnOutputLine = line =>
                {
                    // apt says how many packages it installs, then dpkg unpacks: the moment a power cut leaves dpkg half-done.
                    if (line.Contains(" newly installed", StringComparison.Ordinal))
                    {
                        newly = line.Split(',').FirstOrDefault(p => p.Contains(" newly installed", StringComparison.Ordinal))?.Trim() ?? "";
                    }
                    else if (progress is not null && !unpacking && line.StartsWith("Unpacking ", StringComparison.Ordinal))
                    {
                        unpacking = true;
                        reported = progress($"{FirstBootConsole.UnpackingNote} ({newly})");
                    }
                },
            };
            var result = await processes.RunAsync(install, cancellationToken);
            await reported;
            if (!result.Succeeded)
            {
                throw InstallFailed(packages, result);
            }
        }, cancellationToken);
    }

    public async Task<string?> RepairAsync(CancellationToken cancellationToken)
    {
        // A look outside the turn first: nearly always nothing was interrupted, and then no other step's install is waited for.
        if (files.ListFiles(UpdatesDirectory).Count == 0 && (await UnfinishedAsync(cancellationToken)).Count == 0)
        {
            return null;
        }

        string? repaired = null;
        await InTurnAsync(async () =>
        {
            // Again in the turn: what looked unfinished may have been another step's install, which has finished meanwhile.
            var journal = files.ListFiles(UpdatesDirectory);
            var unfinished = await UnfinishedAsync(cancellationToken);
            if (journal.Count == 0 && unfinished.Count == 0)
            {
                return;
            }

            await RunAsync(new ProcessSpec("dpkg", [.. _apt.DpkgOptions, .. KeepConfig, "--configure", "-a"]), cancellationToken);
            await RunAsync(AptGet([.. KeepConfigOptions, "-f", "install", "-y", "--no-install-recommends"]), cancellationToken);
            var left = await UnfinishedAsync(cancellationToken);
            if (left.Count > 0 || files.ListFiles(UpdatesDirectory).Count > 0)
            {
                var names = left.Count > 0 ? string.Join(", ", left) : "entries left in " + UpdatesDirectory;
                throw new ToolException("dpkg", 1, names,
                    $"dpkg --configure -a and apt-get -f install did not finish the interrupted run: still unfinished: {names}");
            }

            var what = unfinished.Count > 0 ? string.Join(", ", unfinished) : $"{journal.Count} unmerged dpkg journal entries";
            repaired = $"{FirstBootConsole.RepairedNoteStart} ({what}): dpkg --configure -a, apt-get -f install";
        }, cancellationToken);
        return repaired;
    }

    public async Task<IReadOnlyList<string>> UnitsOfAsync(IReadOnlyList<string> packages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(packages);
        if (packages.Count == 0)
        {
            return [];
        }

        var listed = await processes.RunAsync(new ProcessSpec("dpkg-query", [.. _apt.DpkgQueryOptions, "--listfiles", .. packages]) { ThrowOnNonZeroExit = false },
            cancellationToken);
        return listed.StandardOutput.Split('\n')
            .Where(f => (f.StartsWith("/lib/systemd/system/", StringComparison.Ordinal) || f.StartsWith("/usr/lib/systemd/system/", StringComparison.Ordinal))
                && (f.EndsWith(".service", StringComparison.Ordinal) || f.EndsWith(".socket", StringComparison.Ordinal) || f.EndsWith(".timer", StringComparison.Ordinal))
                && !f.Contains('@', StringComparison.Ordinal))
            .Select(f => f[(f.LastIndexOf('/') + 1)..])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public Task RefreshAsync(CancellationToken cancellationToken) =>
        // --error-on=any: an index that cannot be read (a broken or half-copied local repo) fails here, not at install time.
        InTurnAsync(() => processes.RunAsync(AptGet(["update", "--error-on=any"]) with { Timeout = TimeSpan.FromMinutes(10) }, cancellationToken),
            cancellationToken, policy: false);

    /// <summary>
    /// Packages a dpkg run left between states (half installed, unpacked, half configured, awaiting or pending triggers), with
    /// their state, e.g. <c>postgresql-15 (unpacked)</c>. Not <c>dpkg --audit</c>: it also names packages that merely ship no
    /// md5sums, which no repair changes.
    /// </summary>
    private async Task<IReadOnlyList<string>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        var query = await processes.RunAsync(new ProcessSpec("dpkg-query", [.. _apt.DpkgQueryOptions, "-W", "-f=${Package} ${db:Status-Status}\n"])
        {
            ThrowOnNonZeroExit = false,
        }, cancellationToken);
        return query.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .Where(p => p.Length == 2 && UnfinishedStates.Contains(p[1]))
            .Select(p => $"{p[0]} ({p[1]})")
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>dpkg keeps existing configuration files, asking nothing.</summary>
    private static IEnumerable<string> KeepConfigOptions => KeepConfig.SelectMany(o => new[] { "-o", $"Dpkg::Options::={o}" });

    /// <summary>apt-get with the node's (or test tree's) options.</summary>
    private ProcessSpec AptGet(IReadOnlyList<string> arguments) =>
        new("apt-get", [.. _apt.AptOptions, .. arguments])
        {
            Environment = Environment,
        };

    private Task RunAsync(ProcessSpec spec, CancellationToken cancellationToken) =>
        processes.RunAsync(spec with { Environment = Environment, Timeout = TimeSpan.FromMinutes(30) }, cancellationToken);

    /// <summary>One apt/dpkg run at a time; while it runs (but for apt-get update) maintainer scripts may start nothing.</summary>
    private async Task InTurnAsync(Func<Task> run, CancellationToken cancellationToken, bool policy = true)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (policy)
            {
                // exit 101 = "action forbidden": maintainer scripts must not start services; our units start them when configured.
                await files.WriteAsync(PolicyRcD, "#!/bin/sh\nexit 101\n", FileSpec.Directory, cancellationToken);
            }

            try
            {
                await run();
            }
            finally
            {
                if (policy)
                {
                    await files.DeleteAsync(PolicyRcD, CancellationToken.None);
                }
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// What a failed <c>apt-get install</c> throws: packages the repository lacks, or the dependencies it cannot satisfy, in apt's
    /// words, else the tail of its errors. apt prints the unmet dependencies on stdout and only "Unable to correct problems" on stderr.
    /// </summary>
    internal static ToolException InstallFailed(IReadOnlyList<string> packages, ProcessResult result)
    {
        var unavailable = result.StandardError.Split('\n')
            .Where(l => l.Contains("Unable to locate package", StringComparison.Ordinal) || l.Contains("has no installation candidate", StringComparison.Ordinal))
            .ToList();
        var unmet = result.StandardOutput.Split('\n')
            .SkipWhile(l => !l.StartsWith("The following packages have unmet dependencies", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => l.StartsWith(' '))
            .Select(l => l.Trim())
            .ToList();
        var detail = unavailable.Count > 0
            ? "the local repository lacks: " + string.Join("; ", unavailable.Select(l => l.Replace("E: ", "", StringComparison.Ordinal)))
            : unmet.Count > 0
                ? "the local repository cannot satisfy: " + string.Join("; ", unmet)
                : string.Join('\n', result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(15));
        return new ToolException("apt-get", result.ExitCode, detail, $"apt-get install {string.Join(' ', packages)} failed: {detail}");
    }
}
