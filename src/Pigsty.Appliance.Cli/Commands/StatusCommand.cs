using System.CommandLine;
using System.Text.Json;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>status</c>: what the install on this node did, from status.json; exit 8 when it failed.</summary>
public static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = new Option<string>("--file") { Description = "Status file to read", DefaultValueFactory = _ => NodeLayout.StatusFile };
        var json = new Option<bool>("--json") { Description = "Print the status file as it is" };
        var command = new Command("status", "Show the install status of this node (exit 8 when the install failed)") { file, json };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var path = parseResult.GetRequiredValue(file);
            if (!File.Exists(path))
            {
                throw new InputException(path, "no install status yet: first boot has not run on this node");
            }

            var text = await File.ReadAllTextAsync(path, cancellationToken);
            if (parseResult.GetValue(json))
            {
                await context.Io.Out.WriteAsync(text);
            }

            var status = JsonSerializer.Deserialize<InstallStatus>(text) ?? throw new InputException(path, "not a status file");
            if (!parseResult.GetValue(json))
            {
                var output = context.Io.Out;
                await output.WriteLineAsync($"state: {status.State} ({status.Phase}), node {status.Node} ({status.Hostname}), seed: {status.Seed}"
                    + (status.InstanceId is { } instance ? $", instance id {instance}" : "") + (status.SeedWriteBack is { } writeBack ? $" (write-back {writeBack})" : ""));
                foreach (var module in status.Modules)
                {
                    await output.WriteLineAsync($"  {module.Name,-6} {module.State,-8} {module.Seconds,7:0.0} s{(module.Reason is null ? "" : $"  {module.Reason}")}");
                }

                if (status.Error is { } error)
                {
                    await output.WriteLineAsync($"error{(status.FailedStep is null ? "" : $" in {status.FailedStep}")}: {error}");
                }

                await output.WriteLineAsync($"portal: {status.Portal ?? "n/a"}; credentials: {status.Credentials}");
            }

            return status.State == "failed" ? (int)ExitCode.InstallFailed : 0;
        });
        return command;
    }
}
