using System.CommandLine;
using System.Net;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Run;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>install</c>: runs (or with --plan, only prints) the install of this node, as first boot does.</summary>
public static class InstallCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var inventory = new Option<string?>("--inventory", "-i") { Description = "Inventory (pigsty.yml) to use instead of seed discovery" };
        var seedDir = new Option<string?>("--seed-dir") { Description = "A directory laid out like a seed volume (pigsty.yml, site/) to use instead of seed discovery (deploy uploads one)" };
        var node = new Option<string?>("--node") { Description = "This node's inventory address, when local interfaces do not tell" };
        var plan = new Option<bool>("--plan") { Description = "Print the plan for this node and change nothing" };
        var noVerify = new Option<bool>("--no-verify") { Description = "Do not verify the repository against repo_complete first" };
        var strict = new Option<bool>("--strict") { Description = "Stop on parameters not supported here and unknown names instead of warning" };
        var json = CliJson.Option("With --plan: print the plan as JSON (node, hostname, warnings, modules with their steps)");
        var repo = new Option<string>("--repo") { Description = "The local repository (a bundle's pigsty/ directory)", DefaultValueFactory = _ => NodeLayout.Repo };
        var command = new Command("install", "Install this node's Pigsty modules from the local repository (what first boot runs)")
        {
            inventory, seedDir, node, plan, noVerify, repo, strict, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            if (parseResult.GetValue(json) && !parseResult.GetValue(plan))
            {
                throw new UsageException("--json goes with --plan: an install reports its progress in status.json ('status --json')");
            }

            IPAddress? address = null;
            if (parseResult.GetValue(node) is { } text && !IpAddresses.TryParse(text, out address))
            {
                throw new UsageException($"--node '{text}' is not an IP address");
            }

            if (parseResult.GetValue(inventory) is not null && parseResult.GetValue(seedDir) is not null)
            {
                throw new UsageException("--inventory and --seed-dir each name the seed: give one");
            }

            using var http = new HttpClient();
            var (installer, _) = NodeInstallerFactory.Create(context.Loggers, http, parseResult.GetValue(json) ? context.Io.Error : context.Io.Out, TimeProvider.System);
            var options = new InstallOptions(parseResult.GetValue(inventory), address, parseResult.GetValue(plan), !parseResult.GetValue(noVerify))
            {
                RepoDirectory = parseResult.GetRequiredValue(repo),
                SeedDirectory = parseResult.GetValue(seedDir),
                Strict = parseResult.GetValue(strict),
            };
            if (options.PlanOnly)
            {
                var planned = await installer.PlanAsync(options, cancellationToken);
                await (parseResult.GetValue(json) ? CliJson.WriteAsync(context.Io.Out, PlanJson.Of(planned)) : context.Io.Out.WriteAsync(planned.Describe()));
                return 0;
            }

            var result = await installer.RunAsync(options, cancellationToken);
            await context.Io.Out.WriteLineAsync(result.NothingChanged
                ? "nothing changed: every step was already done"
                : $"install done: {result.Steps.Count(s => s.Outcome == Installer.Engine.StepOutcome.Applied)} steps applied, {result.Steps.Count(s => s.Outcome == Installer.Engine.StepOutcome.AlreadyDone)} already done");
            return 0;
        });
        return command;
    }
}
