using System.Security.Cryptography;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using ZstdDecompressionStream = SharpCompress.Compressors.ZStandard.DecompressionStream;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>
/// Push mode: every selected host is checked first (connection, host key, OS release, free disk) by reading only; then each is
/// installed once the hosts it waits for are (<see cref="DeployOrder"/>): the installer, its seed (inventory and its own share of the
/// site material) and, unless it already has it, the bundle are uploaded, and the installer first boot runs is run with them,
/// its output streamed live. A re-run uploads nothing the host has and the installer finds every step done.
/// </summary>
public sealed class Deployer(DeployOptions options, TextWriter console)
{
    /// <summary>Where uploads wait (0700) until the remote script moves them into place.</summary>
    public const string Staging = "/var/tmp/pigsty-deploy";

    /// <summary>Where the host's seed directory lives (root only); the installer writes its result back there, as to a seed volume.</summary>
    public const string SeedDirectory = NodeLayout.ConfigDirectory + "/deploy";

    private const string BundleMarker = NodeLayout.StateDirectory + "/deploy-bundle.sha256";
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Program = Private | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly Lock _consoleGate = new();

    /// <summary>Deploys <paramref name="plan"/>; returns one outcome per host, in plan order.</summary>
    public async Task<IReadOnlyList<HostOutcome>> RunAsync(IReadOnlyList<DeployHost> plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Directory.CreateDirectory(options.LogDirectory);
        var installerSha = await Sha256Async(options.Installer, cancellationToken);
        var bundleSha = options.Bundle is null ? null : await Sha256Async(options.Bundle, cancellationToken);
        // The release every host must run: the given bundle's, else (below) the one each host's own sealed repo was built for.
        var platform = options.Platform ?? (options.Bundle is null ? null : await BundlePlatform.ReadAsync(options.Bundle, cancellationToken));

        var sessions = new Dictionary<string, (SshSession Session, RemoteState State)>(StringComparer.Ordinal);
        var outcomes = new Dictionary<string, HostOutcome>(StringComparer.Ordinal);
        try
        {
            // Every host is checked before any is changed: a refused host then holds back those waiting for it before they start.
            var checks = plan.Select(h => (Host: h, Check: CheckAsync(h, installerSha, bundleSha, platform, cancellationToken))).ToList();
            foreach (var (host, check) in checks)
            {
                try
                {
                    sessions[host.Name] = await check;
                }
                catch (HostRefusedException e)
                {
                    outcomes[host.Name] = new HostOutcome(host.Name, host.Role, HostState.Refused, e.Reason);
                    Say(host.Name, $"refused: {e.Reason}");
                }
            }

            var running = new Dictionary<string, Task<HostOutcome>>(StringComparer.Ordinal);
            foreach (var host in plan)
            {
                running[host.Name] = outcomes.TryGetValue(host.Name, out var refused) ? Task.FromResult(refused)
                    : InstallWhenReadyAsync(host, host.After.Select(a => running[a]).ToList(), sessions[host.Name], installerSha, bundleSha, cancellationToken);
            }

            await Task.WhenAll(running.Values);
            return [.. plan.Select(h => running[h.Name].Result)];
        }
        finally
        {
            foreach (var (session, _) in sessions.Values)
            {
                session.Dispose();
            }
        }
    }

    private async Task<(SshSession, RemoteState)> CheckAsync(DeployHost host, string installerSha, string? bundleSha, TargetPlatform? bundlePlatform,
        CancellationToken cancellationToken)
    {
        var session = await SshSession.ConnectAsync(host.Target, options.Ssh, cancellationToken);
        try
        {
            var state = RemoteState.Parse((await session.CaptureAsync(RemoteState.Command, cancellationToken)).Output);
            if (bundleSha is null && !state.RepoComplete)
            {
                throw new HostRefusedException(host.Name, $"it holds no sealed repo at {NodeLayout.Repo} and no --bundle was given to upload. Nothing was done on it");
            }

            var platform = bundlePlatform ?? await HostRepoPlatformAsync(session, host.Name, cancellationToken);
            await HostPreflight.CheckReleaseAsync(session, options.OsRelease, platform, cancellationToken);

            var needed = options.Headroom
                + (state.InstallerSha256 == installerSha ? 0 : new FileInfo(options.Installer).Length)
                + (bundleSha is null || state.BundleSha256 == bundleSha ? 0 : 3 * new FileInfo(options.Bundle!).Length);
            await HostPreflight.CheckFreeSpaceAsync(session, needed, cancellationToken);
            Say(host.Name, $"ready: {host.Target}, {platform.PrettyName}, {host.Role}");
            return (session, state);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The target of the sealed repo a host already holds (its manifest's os), when deploy uploads no bundle.</summary>
    private static async Task<TargetPlatform> HostRepoPlatformAsync(SshSession session, string host, CancellationToken cancellationToken)
    {
        var path = $"{NodeLayout.Repo}/{Repository.Sealed.RepoLayout.Manifest}";
        var (code, text) = await session.CaptureAsync($"cat {Shell.Quote(path)}", cancellationToken);
        try
        {
            return code == 0 ? BundlePlatform.Parse(System.Text.Encoding.UTF8.GetBytes(text), path)
                : throw new HostRefusedException(host, $"its sealed repo has no readable {path} ({text.Trim()}). Nothing was done on it");
        }
        catch (InputException e)
        {
            throw new HostRefusedException(host, $"its sealed repo does not say which release it is for: {e.Message}. Nothing was done on it");
        }
    }

    private async Task<HostOutcome> InstallWhenReadyAsync(DeployHost host, IReadOnlyList<Task<HostOutcome>> after, (SshSession Session, RemoteState State) connection,
        string installerSha, string? bundleSha, CancellationToken cancellationToken)
    {
        var waited = await Task.WhenAll(after);
        if (waited.FirstOrDefault(w => !w.Succeeded) is { } blocker)
        {
            var skipped = new HostOutcome(host.Name, host.Role, HostState.Skipped, $"not started: {blocker.Name} ({blocker.Role}) it waits for did not finish");
            Say(host.Name, skipped.Message);
            return skipped;
        }

        using var log = new HostLog(host.Name, Path.Join(options.LogDirectory, host.Name + ".log"), console, _consoleGate);
        await log.LineAsync($"deploy {DateTimeOffset.UtcNow:O}: {host.Role} at {host.Target}");
        try
        {
            return await InstallAsync(host, connection.Session, connection.State, installerSha, bundleSha, log, cancellationToken);
        }
        catch (Exception e) when (e is ApplianceException or Renci.SshNet.Common.SshException or IOException)
        {
            await log.LineAsync($"failed: {e.Message}");
            return new HostOutcome(host.Name, host.Role, HostState.Failed, e.Message);
        }
    }

    private async Task<HostOutcome> InstallAsync(DeployHost host, SshSession session, RemoteState state, string installerSha, string? bundleSha,
        HostLog log, CancellationToken cancellationToken)
    {
        await session.CreatePrivateDirectoryAsync(Staging, cancellationToken);
        await session.CreatePrivateDirectoryAsync($"{Staging}/seed", cancellationToken);
        await session.CreatePrivateDirectoryAsync($"{Staging}/seed/{SeedMedia.SiteDirectory}", cancellationToken);
        var installer = state.InstallerSha256 != installerSha;
        if (installer)
        {
            await log.LineAsync($"upload: installer {options.Installer}");
            await UploadFileAsync(session, options.Installer, $"{Staging}/{NodeLayout.InstallerName}", Program, cancellationToken);
        }

        await UploadFileAsync(session, options.InventoryPath, $"{Staging}/seed/{SeedMedia.InventoryName}", Private, cancellationToken);
        var seed = options.Site.Seeds.FirstOrDefault(s => s.Host.Address.Equals(host.Host.Address))
            ?? throw new UsageException($"the site material has no share for {host.Name}");
        foreach (var (volumePath, source) in seed.Files)
        {
            await UploadFileAsync(session, source, $"{Staging}/seed/{volumePath}", Private, cancellationToken);
        }

        await log.LineAsync($"upload: seed ({SeedMedia.InventoryName} and {seed.Files.Count} files of site material)");
        var bundle = bundleSha is not null && (state.BundleSha256 != bundleSha || !state.RepoComplete);
        if (bundle)
        {
            await log.LineAsync($"upload: bundle {options.Bundle}");
            await UploadBundleAsync(session, options.Bundle!, $"{Staging}/bundle", cancellationToken);
        }

        var code = await session.RunAsync(AsRoot(host.Target, Script(installer, bundle ? bundleSha : null)), log.LineAsync, cancellationToken);
        var status = await CollectStatusAsync(host, session, cancellationToken);
        if (code != 0)
        {
            return new HostOutcome(host.Name, host.Role, HostState.Failed, $"the installer exited {code}: see {log.Path}", status);
        }

        var unchanged = !installer && !bundle && await LastLineSaysUnchangedAsync(log.Path, cancellationToken);
        return new HostOutcome(host.Name, host.Role, unchanged ? HostState.Unchanged : HostState.Installed,
            unchanged ? "nothing changed: every step was already done" : "installed", status);
    }

    /// <summary>The remote half, run as root: put the uploads in place, then run the installer first boot runs, on the seed directory.</summary>
    private static string Script(bool installer, string? bundleSha)
    {
        var lines = new List<string>
        {
            "set -e",
            $"install -d -m 0755 {NodeLayout.InstallerDirectory} {NodeLayout.StateDirectory} {NodeLayout.Www}",
        };
        if (installer)
        {
            // Uploaded by the login user (through sudo for any but root): root runs it, so nobody else may own it.
            lines.Add($"mv -f {Staging}/{NodeLayout.InstallerName} {NodeLayout.Installer} && chown root:root {NodeLayout.Installer}");
        }

        lines.Add($"ln -sfn {NodeLayout.Installer} {NodeLayout.InstallerOnPath}");
        if (bundleSha is not null)
        {
            // Unpacked beside the old repo and swapped in whole, so that an interrupted upload never leaves half a repo in its place.
            var unpack = $"{NodeLayout.Www}/.{NodeLayout.RepoName}-deploy";
            lines.Add($"rm -rf {unpack} && mkdir -p {unpack} && tar -xf {Staging}/bundle -C {unpack} --no-same-owner");
            lines.Add($"rm -rf {NodeLayout.Repo} && mv {unpack}/{NodeLayout.RepoName} {NodeLayout.Repo} && rm -rf {unpack} {Staging}/bundle");
            lines.Add($"echo {bundleSha} > {BundleMarker}");
        }

        lines.Add($"install -d -m 0700 {NodeLayout.ConfigDirectory}");
        lines.Add($"rm -rf {SeedDirectory} && mv {Staging}/seed {SeedDirectory} && chown -R root:root {SeedDirectory} && rm -rf {Staging}");
        lines.Add($"exec {NodeLayout.Installer} install --seed-dir {SeedDirectory}");
        return string.Join('\n', lines);
    }

    /// <summary>Root runs the script as it is; another user through <c>sudo -n</c> (never a password prompt nobody can answer).</summary>
    private static string AsRoot(SshTarget target, string script) =>
        (target.User == "root" ? "sh -c " : "sudo -n sh -c ") + Shell.Quote(script);

    private async Task<string?> CollectStatusAsync(DeployHost host, SshSession session, CancellationToken cancellationToken)
    {
        var (code, text) = await session.CaptureAsync(AsRoot(host.Target, $"cat {NodeLayout.StatusFile}"), cancellationToken);
        if (code != 0)
        {
            return null;
        }

        var path = Path.Join(options.LogDirectory, host.Name + ".status.json");
        await AtomicFile.WriteAllTextAsync(path, text, cancellationToken);
        return path;
    }

    private static async Task<bool> LastLineSaysUnchangedAsync(string log, CancellationToken cancellationToken) =>
        (await File.ReadAllLinesAsync(log, cancellationToken)).LastOrDefault()?.StartsWith("nothing changed", StringComparison.Ordinal) == true;

    private static async Task UploadFileAsync(SshSession session, string local, string remote, UnixFileMode mode, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(local);
        await session.UploadAsync(stream, remote, mode, cancellationToken);
    }

    /// <summary>A .tgz goes as it is (tar on the host reads gzip); a .tar.zst is decompressed on the way, as a Debian host need not have zstd.</summary>
    private static async Task UploadBundleAsync(SshSession session, string bundle, string remote, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(bundle);
        if (IsZstd(bundle))
        {
            await using var tar = new ZstdDecompressionStream(file);
            await session.UploadAsync(tar, remote, Private, cancellationToken);
        }
        else
        {
            await session.UploadAsync(file, remote, Private, cancellationToken);
        }
    }

    /// <summary>True for a .tar.zst bundle, false for a .tgz; anything else is an input error, raised before any host is touched.</summary>
    public static bool IsZstd(string bundle)
    {
        var magic = new byte[4];
        using (var file = File.OpenRead(bundle))
        {
            file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        }

        return magic is [0x28, 0xb5, 0x2f, 0xfd] || (magic is [0x1f, 0x8b, ..] ? false : throw new InputException(bundle, "not a bundle: expected a .tgz or a .tar.zst"));
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private void Say(string host, string line)
    {
        lock (_consoleGate)
        {
            console.WriteLine($"[{host}] {line}");
        }
    }
}
