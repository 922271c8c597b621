using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Build;
using Pigsty.Appliance.Imaging.Definition;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>image</c>: builds the bootable disk image (raw, qcow2, vmdk, vhdx) from a bundle alone.</summary>
public static class ImageCommand
{
    /// <summary>The installer's registered modules, as image definitions name them in <c>preinstall:</c> (Imaging does not reference the installer).</summary>
    internal static IReadOnlyList<ImageModule> Modules { get; } =
        Installer.InstallModules.Descriptors.Select(d => new ImageModule(d.Key, d.PackagesOn)).ToList();

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = new Option<string>("--image") { Description = "Image definition name (images/NAME.yml) or path", DefaultValueFactory = _ => ImageDefinitionLoader.DefaultName };
        var bundle = new Option<string?>("--bundle") { Description = "The bundle tarball (default: dist/pigsty-pkg-<version>.<os>.<arch>.tgz of the image's recipe)" };
        var installer = new Option<string?>("--installer") { Description = "Self-contained pigsty-appliance to put on the image (default: this executable when it is one)" };
        var output = new Option<string>("--output", "-o") { Description = "Directory for the images, SHA256SUMS and package manifest", DefaultValueFactory = _ => "dist" };
        var work = new Option<string>("--work") { Description = "Scratch directory for the root filesystem tree", DefaultValueFactory = _ => "artifacts/image" };
        var keys = new Option<string[]>("--authorized-key")
        {
            Description = "A public key file (e.g. ~/.ssh/id_ed25519.pub) whose keys the definition's admin_user accepts, besides its authorized_keys (repeatable)",
        };
        var json = CliJson.Option("Print the summary as JSON on stdout (progress lines go to stderr): images, raw_allocated_bytes, checksums, packages, timings");
        var command = new Command("image", "Build the bootable GPT disk image (UEFI and BIOS) from the bundle alone")
        {
            definition, bundle, installer, output, work, keys, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var options = await OptionsAsync(parseResult.GetRequiredValue(definition), parseResult.GetValue(bundle), parseResult.GetValue(installer),
                parseResult.GetRequiredValue(output), parseResult.GetRequiredValue(work), await ReadKeysAsync(parseResult.GetValue(keys) ?? [], cancellationToken),
                installerAlways: false, cancellationToken);
            var outputDirectory = options.OutputDirectory;
            var builder = new ImageBuilder(new ProcessRunner(context.Logger<ProcessRunner>()), context.Loggers);
            var asJson = parseResult.GetValue(json);
            var result = await ProgressDisplay.RunAsync(context.Io, asJson,
                (bars, plain) => builder.BuildAsync(options, new ImageObserver(plain, bars, TimeProvider.System), cancellationToken));
            if (asJson)
            {
                await CliJson.WriteAsync(context.Io.Out, new JsonObject
                {
                    ["images"] = new JsonArray([.. result.Images.Select(f => (JsonNode)new JsonObject { ["path"] = f, ["bytes"] = new FileInfo(f).Length })]),
                    ["raw_allocated_bytes"] = result.RawAllocatedBytes,
                    ["checksums"] = result.Checksums,
                    ["packages"] = result.PackageManifest,
                    ["timings"] = CliJson.Timings(result.Timings),
                });
                return 0;
            }

            var output2 = context.Io.Out;
            var inv = CultureInfo.InvariantCulture;
            foreach (var file in result.Images)
            {
                await output2.WriteLineAsync(string.Create(inv, $"image: {file} ({new FileInfo(file).Length / 1048576.0:0} MiB)"));
            }

            await output2.WriteLineAsync(string.Create(inv, $"raw image: {result.RawAllocatedBytes / 1048576.0:0} MiB allocated (sparse)"));
            await output2.WriteLineAsync($"checksums: {result.Checksums}; packages: {result.PackageManifest}");
            await output2.WriteLineAsync(string.Create(inv,
                $"time: {result.Timings.Sum(t => t.Elapsed.TotalSeconds):0.0} s ({string.Join(", ", result.Timings.Select(t => string.Create(inv, $"{t.Name} {t.Elapsed.TotalSeconds:0.0}")))})"));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// What an image build (and the ISO built from its image) reads, from the command's options: the definition by name or path, the
    /// bundle and installer with their defaults. A plain image needs no installer unless <paramref name="installerAlways"/>.
    /// </summary>
    internal static async Task<ImageOptions> OptionsAsync(string definition, string? bundle, string? installer, string output, string work,
        IReadOnlyList<string> keys, bool installerAlways, CancellationToken cancellationToken)
    {
        var definitionPath = Locate(definition);
        var image = await ImageDefinitionLoader.LoadAsync(definitionPath, Modules, cancellationToken);
        var recipe = await RecipeLoader.LoadAsync(RecipeLoader.Locate(image.Recipe, "recipes"), cancellationToken);
        return new ImageOptions
        {
            DefinitionPath = definitionPath,
            BundlePath = bundle ?? LayoutReport.Of(ProductVersion.Value, recipe.Os, recipe.Machine, output).Bundle,
            // A plain image carries no installer: none is needed to build it.
            InstallerPath = installer ?? ProductVersion.SingleFileExecutable
                ?? (installerAlways || image.FirstBoot ? throw new UsageException("--installer is required when pigsty-appliance does not run as a self-contained single file") : ""),
            AuthorizedKeys = keys,
            RecipesDirectory = "recipes",
            Version = ProductVersion.Value,
            OutputDirectory = output,
            WorkDirectory = work,
            Modules = Modules,
        };
    }

    /// <summary>The key lines of each --authorized-key file (blank and # lines skipped); a line that is not a public key names file and line.</summary>
    internal static async Task<IReadOnlyList<string>> ReadKeysAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new UsageException($"--authorized-key {file}: no such file");
            }

            var number = 0;
            foreach (var line in await File.ReadAllLinesAsync(file, cancellationToken))
            {
                number++;
                if (line.Trim() is not { Length: > 0 } key || key.StartsWith('#'))
                {
                    continue;
                }

                keys.Add(AuthorizedKey.Problem(key) is { } problem
                    ? throw new InputException(new InputProblem(new SourceLocation(file, number, 1), "", problem))
                    : key);
            }
        }

        return keys;
    }

    /// <summary>An image definition by name (<c>images/NAME.yml</c>) or by path.</summary>
    internal static string Locate(string nameOrPath) =>
        nameOrPath.EndsWith(".yml", StringComparison.Ordinal) || nameOrPath.Contains('/', StringComparison.Ordinal)
            ? nameOrPath
            : Path.Combine("images", nameOrPath + ".yml");
}
