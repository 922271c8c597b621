using System.CommandLine;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Imaging.Seeds;
using Pigsty.Appliance.Installer.Site;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary>
/// <c>site</c>: the site's material made once on the operator's host: a 0700 directory with the site CA, every shared secret and
/// each node's certificates, and one seed image per inventory host carrying only that node's share (see <see cref="SiteDirectory"/>).
/// </summary>
public static class SiteCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inventory = new Option<string>("--inventory", "-i") { Description = "The site's inventory (pigsty.yml), the same on every node", Required = true };
        var dir = new Option<string>("--dir") { Description = "The site directory (created 0700; kept and completed on a re-run)", Required = true };
        var addressing = new StaticAddressOptions();
        var label = new Option<string>("--label") { Description = "Volume label first boot looks for", DefaultValueFactory = _ => SeedMedia.DefaultLabel };
        label.AcceptOnlyFromAmong([.. SeedMedia.Labels]);
        var os = new Option<string>("--os")
        {
            Description = "The Debian release the site's nodes run, as the bundle's os names it (d12 = Debian 12 bookworm, d13 = Debian 13 trixie)",
            DefaultValueFactory = _ => TargetPlatform.Debian12.Os,
        };
        os.AcceptOnlyFromAmong([.. TargetPlatform.All.Select(p => p.Os)]);
        var noStrict = new Option<bool>("--no-strict") { Description = "Accept parameters not supported here and unknown names (warned about) instead of refusing" };
        var allowDefaults = new Option<bool>("--allow-default-passwords")
        {
            Description = "Write the seeds even though the inventory uses Pigsty's well-known default passwords (each is still named)",
        };
        var command = new Command("site", "Write a site directory (CA, shared secrets, per-node certificates) and one seed image per inventory host")
        {
            inventory, dir, label, os, noStrict, allowDefaults,
        };
        addressing.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var source = parseResult.GetRequiredValue(inventory);
            var options = addressing.Read(parseResult, parseResult.GetRequiredValue(dir)) with
            {
                Platform = TargetPlatform.ForOs(parseResult.GetRequiredValue(os), "--os"),
            };

            var parsed = await SeedInventory.LoadAsync(context, source, strict: !parseResult.GetValue(noStrict), parseResult.GetValue(allowDefaults), cancellationToken);
            if (InventorySecrets.In(parsed) is { Count: > 0 } given)
            {
                // The nodes wipe keys and site secrets from their volumes after the install, but keep the inventory (it is the site's).
                await context.Io.Error.WriteLineAsync($"warning: the inventory gives {given.Count} secrets ({string.Join(", ", given.Take(3).Select(g => g.Path))}"
                    + $"{(given.Count > 3 ? ", …" : "")}): every seed carries them and keeps them after the install; leave them out and site generates them");
            }

            var result = await SiteDirectory.WriteAsync(parsed, options, TimeProvider.System, cancellationToken);
            var seeds = Path.Join(Path.GetFullPath(options.Directory), SiteDirectory.Seeds);
            Directory.CreateDirectory(seeds, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var runner = new ProcessRunner(context.Logger<ProcessRunner>());
            var output = context.Io.Out;
            await output.WriteLineAsync($"site: {Path.GetFullPath(options.Directory)} (CA {(result.CaCreated ? "created" : "kept")}, "
                + $"{result.SecretsAdded.Count} secrets added, {result.CertificatesIssued} certificates issued, {result.CertificatesKept} kept; the CA key stays here)");
            foreach (var seed in result.Seeds)
            {
                var image = Path.Join(seeds, seed.Host.Address + ".img");
                await SeedVolume.CreateAsync(runner, source, image, parseResult.GetRequiredValue(label), cancellationToken,
                    [.. seed.Files.Select(f => new FatFile(f.VolumePath, f.SourcePath))]);
                var network = seed.Node.IsStatic
                    ? $"static {seed.Node.Address}/{seed.Node.Prefix}{(seed.Node.Gateway is null ? "" : $" via {seed.Node.Gateway}")}"
                    : "DHCP";
                await output.WriteLineAsync($"  {seed.Host.Address}: {Path.Join(SiteDirectory.Seeds, seed.Host.Address + ".img")} "
                    + $"(certificates: {(seed.Services.Count == 0 ? "none" : string.Join(", ", seed.Services))}; {seed.SecretNames.Count} secrets; {network})");
            }

            return 0;
        });
        return command;
    }
}
