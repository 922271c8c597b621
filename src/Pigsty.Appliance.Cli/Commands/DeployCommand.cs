using System.CommandLine;
using Pigsty.Appliance.Cli.Push;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// <c>deploy</c>: push mode. Installs the inventory's hosts (running the bundle's Debian release already) over SSH from this host: the admin node first,
/// the etcd members together, primaries before their replicas; a per-host summary at the end and an exit code for the worst outcome.
/// </summary>
public static class DeployCommand
{
    private const long Gib = 1L << 30;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var inventory = new Option<string>("--inventory", "-i") { Description = "The site's inventory (pigsty.yml)", Required = true };
        var site = new Option<string>("--site") { Description = "The site directory (pigsty-appliance site): made or completed here, each host gets its own share", Required = true };
        var limit = new Option<string[]>("--limit") { Description = "Deploy only this inventory host (repeatable); the others are taken as running", AllowMultipleArgumentsPerToken = true };
        var bundle = new Option<string?>("--bundle") { Description = "The bundle (.tgz or .tar.zst) to unpack at /www/pigsty on hosts that do not hold it yet" };
        var installer = new Option<string?>("--installer") { Description = "The self-contained pigsty-appliance to put on each host (default: the one running)" };
        var key = new Option<string>("--ssh-key") { Description = "Private key to log in with (no passphrase)", DefaultValueFactory = _ => Path.Join(home, ".ssh", "id_ed25519") };
        var user = new Option<string>("--ssh-user") { Description = "User to log in as where the inventory sets no ansible_user (not root: through sudo -n)", DefaultValueFactory = _ => "root" };
        var knownHosts = new Option<string>("--known-hosts") { Description = "known_hosts file pinning every host's key", DefaultValueFactory = _ => Path.Join(home, ".ssh", "known_hosts") };
        var trustNew = new Option<bool>("--trust-new-host-keys") { Description = "Record the key of a host --known-hosts does not name yet (trust on first use); a changed key is still refused" };
        var logs = new Option<string>("--log-dir") { Description = "Where each host's log and status.json are written", DefaultValueFactory = _ => "deploy-logs" };
        var headroom = new Option<int>("--min-free-gib") { Description = "Free disk a host needs besides the bundle and the installer", DefaultValueFactory = _ => 4 };
        var timeout = new Option<int>("--connect-timeout") { Description = "Seconds before a host counts as unreachable", DefaultValueFactory = _ => 15 };
        var noStrict = new Option<bool>("--no-strict") { Description = "Accept parameters not supported here and unknown names (warned about) instead of refusing" };
        var allowDefaults = new Option<bool>("--allow-default-passwords") { Description = "Deploy even though the inventory uses Pigsty's well-known default passwords" };
        var addressing = new StaticAddressOptions();
        var command = new Command("deploy", "Install the inventory's existing Debian hosts (the bundle's release) over SSH (push mode), in dependency order")
        {
            inventory, site, limit, bundle, installer, key, user, knownHosts, trustNew, logs, headroom, timeout, noStrict, allowDefaults,
        };
        addressing.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var source = parseResult.GetRequiredValue(inventory);
            var program = parseResult.GetValue(installer) ?? RunningInstaller();
            Require(program, "--installer");
            var bundlePath = parseResult.GetValue(bundle);
            TargetPlatform? platform = null;
            if (bundlePath is not null)
            {
                Require(bundlePath, "--bundle");
                _ = Deployer.IsZstd(bundlePath);
                platform = await BundlePlatform.ReadAsync(bundlePath, cancellationToken);
            }

            var keyPath = parseResult.GetRequiredValue(key);
            Require(keyPath, "--ssh-key");
            var parsed = await SeedInventory.LoadAsync(context, source, strict: !parseResult.GetValue(noStrict), parseResult.GetValue(allowDefaults), cancellationToken);
            var plan = DeployOrder.Plan(parsed, parseResult.GetValue(limit) ?? [], parseResult.GetRequiredValue(user));
            var ssh = new SshOptions(keyPath, KnownHosts.Load(parseResult.GetRequiredValue(knownHosts)), parseResult.GetValue(trustNew),
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)));

            // The same node.yml the site's seeds carry: a site made with `site --prefix` keeps its static addressing when deploy rewrites the
            // material (else the files, and every seed written from them later, would say DHCP), unless --prefix and friends say otherwise.
            var siteDirectory = parseResult.GetRequiredValue(site);
            var siteOptions = (addressing.Given(parseResult) ? addressing.Read(parseResult, siteDirectory) : SiteDirectory.KeptAddressing(siteDirectory)) with
            {
                // The site is planned for the release the bundle is built for; without --bundle, for the default (each host's own repo decides at install).
                Platform = platform ?? TargetPlatform.Debian12,
            };
            var material = await SiteDirectory.WriteAsync(parsed, siteOptions, TimeProvider.System, cancellationToken);
            var output = context.Io.Out;
            if (siteOptions.Prefix is { } prefix)
            {
                await output.WriteLineAsync($"deploy: static addressing /{prefix}{(siteOptions.Gateway is null ? "" : $" via {siteOptions.Gateway}")} in every node.yml "
                    + (addressing.Given(parseResult) ? "(--prefix)" : $"(kept from {Path.Join(siteDirectory, SiteDirectory.Nodes)})"));
            }

            await output.WriteLineAsync($"deploy: {plan.Count} hosts in this order: {string.Join(", ", plan.Select(p => $"{p.Name} ({p.Role})"))}");
            var options = new DeployOptions(Path.GetFullPath(source), material, program, bundlePath, ssh, parseResult.GetRequiredValue(logs),
                parseResult.GetValue(headroom) * Gib) { Platform = platform };
            var outcomes = await new Deployer(options, output).RunAsync(plan, cancellationToken);
            await output.WriteLineAsync(Summary(outcomes));
            return (int)ExitFor(outcomes);
        });
        return command;
    }

    /// <summary>The summary table: one line per host with what happened and where its status.json is.</summary>
    public static string Summary(IReadOnlyList<HostOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var width = outcomes.Max(o => o.Name.Length);
        var roles = outcomes.Max(o => o.Role.Length);
        var lines = outcomes.Select(o => $"  {o.Name.PadRight(width)}  {o.Role.PadRight(roles)}  {o.State.ToString().ToLowerInvariant(),-9}  {o.Message}"
            + (o.StatusFile is null ? "" : $" (status: {o.StatusFile})"));
        var good = outcomes.Count(o => o.Succeeded);
        return $"deploy summary: {good} of {outcomes.Count} hosts installed\n" + string.Join('\n', lines);
    }

    /// <summary>0 when every host is installed; a failed install outweighs a refused or held-back host.</summary>
    public static ExitCode ExitFor(IReadOnlyList<HostOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return outcomes.Any(o => o.State == HostState.Failed) ? ExitCode.InstallFailed
            : outcomes.All(o => o.Succeeded) ? ExitCode.Success
            : ExitCode.HostRefused;
    }

    /// <summary>The published single file that runs deploy is what every host gets, unless --installer names another.</summary>
    private static string RunningInstaller() =>
        Environment.ProcessPath is { } path && Path.GetFileName(path) == NodeLayout.InstallerName ? path
        : throw new UsageException($"--installer: this {NodeLayout.InstallerName} is not the published single file (it runs as {Environment.ProcessPath}); "
            + "name the self-contained pigsty-appliance to put on the hosts");

    private static void Require(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"{option} {path}: no such file");
        }
    }

}
