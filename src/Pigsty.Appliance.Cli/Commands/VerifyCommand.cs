using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Repository.Verify;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>verify BUNDLE</c>: checks an offline bundle (.tgz, .tar.zst or extracted directory) end to end.</summary>
public static class VerifyCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bundle = new Argument<string>("bundle") { Description = "The bundle: pigsty-pkg-*.tgz, *.tar.zst, or an extracted pigsty/ directory" };
        var json = CliJson.Option("Print JSON: path, kind, files, packages, bytes, signed, sidecar_checked, seconds");
        var command = new Command("verify",
            "Verify an offline bundle: repo_complete, every file's SHA-256, Packages/Packages.gz, Release, signatures, manifest and the .sha256 sidecar")
        {
            bundle, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var verifier = new BundleVerifier(new ProcessRunner(context.Logger<ProcessRunner>()), context.Logger<BundleVerifier>());
            var report = await verifier.VerifyAsync(parseResult.GetRequiredValue(bundle), cancellationToken);
            if (parseResult.GetValue(json))
            {
                await CliJson.WriteAsync(context.Io.Out, new JsonObject
                {
                    ["path"] = report.Path,
                    ["kind"] = report.Kind,
                    ["files"] = report.Files,
                    ["packages"] = report.Packages,
                    ["bytes"] = report.Bytes,
                    ["signed"] = report.Signed,
                    ["sidecar_checked"] = report.SidecarChecked,
                    ["seconds"] = Math.Round(report.Elapsed.TotalSeconds, 3),
                });
                return 0;
            }

            var signature = report.Signed ? "signature ok" : "unsigned";
            var sidecar = report.Kind == "directory" ? "" : report.SidecarChecked ? ", .sha256 ok" : ", no .sha256";
            context.Io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ok: {report.Path} ({report.Kind}): {report.Files} files, {report.Packages} packages, {report.Bytes / 1048576.0:0.0} MiB, {signature}{sidecar}, {report.Elapsed.TotalSeconds:0.00} s"));
            return 0;
        });
        return command;
    }
}
