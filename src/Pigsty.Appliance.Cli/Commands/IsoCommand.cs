using System.CommandLine;
using System.Globalization;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Imaging.Iso;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>iso</c>: the bare-metal installer medium: a hybrid ISO (BIOS and UEFI, CD or USB stick) that writes the built image onto a server's disk.</summary>
public static class IsoCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = new Option<string>("--image") { Description = "Image definition name (images/NAME.yml) or path, whose built raw image the ISO carries", DefaultValueFactory = _ => ImageDefinitionLoader.DefaultName };
        var bundle = new Option<string?>("--bundle") { Description = "The bundle tarball the live system is made from (default: dist/pigsty-pkg-<version>.<os>.<arch>.tgz of the image's recipe)" };
        var installer = new Option<string?>("--installer") { Description = "Self-contained pigsty-appliance the live system runs (default: this executable when it is one)" };
        var output = new Option<string>("--output", "-o") { Description = "Directory holding the raw image and SHA256SUMS; the ISO is written there", DefaultValueFactory = _ => "dist" };
        var work = new Option<string>("--work") { Description = "Scratch directory for the live root filesystem and the medium's tree", DefaultValueFactory = _ => "artifacts/image" };
        var command = new Command("iso", "Build the bare-metal installer ISO (hybrid: CD or USB stick, BIOS and UEFI) carrying the built image")
        {
            definition, bundle, installer, output, work,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var outputDirectory = parseResult.GetRequiredValue(output);
            var options = await ImageCommand.OptionsAsync(parseResult.GetRequiredValue(definition), parseResult.GetValue(bundle), parseResult.GetValue(installer),
                outputDirectory, parseResult.GetRequiredValue(work), [], installerAlways: true, cancellationToken);
            var builder = new InstallerIsoBuilder(new ProcessRunner(context.Logger<ProcessRunner>()), context.Loggers);
            var (iso, timings) = await ProgressDisplay.RunAsync(context.Io, false,
                (bars, plain) => builder.BuildAsync(options, new ImageObserver(plain, bars, TimeProvider.System), cancellationToken));
            var inv = CultureInfo.InvariantCulture;
            await context.Io.Out.WriteLineAsync(string.Create(inv, $"iso: {iso} ({new FileInfo(iso).Length / 1048576.0:0} MiB); listed in {Path.Combine(outputDirectory, "SHA256SUMS")}"));
            await context.Io.Out.WriteLineAsync(string.Create(inv,
                $"time: {timings.Sum(t => t.Elapsed.TotalSeconds):0.0} s ({string.Join(", ", timings.Select(t => string.Create(inv, $"{t.Name} {t.Elapsed.TotalSeconds:0.0}")))})"));
            return 0;
        });
        return command;
    }
}
