using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Boot;
using Pigsty.Appliance.Imaging.Build;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Imaging.Filesystems;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.Imaging.Iso;

/// <summary>
/// The Iso pipeline: the built raw image (checked against SHA256SUMS) compressed onto a medium beside a live system made from the
/// bundle alone, made bootable by grub-mkrescue as a hybrid ISO (BIOS and UEFI, CD and USB stick), listed in SHA256SUMS.
/// </summary>
public sealed class InstallerIsoBuilder(IProcessRunner runner, ILoggerFactory loggers)
{
    /// <summary>Builds the ISO; returns its path and the pipeline's timings.</summary>
    public async Task<(string Iso, IReadOnlyList<StepTiming> Timings)> BuildAsync(ImageOptions options, IImageObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var say = observer.Say;
        var image = await ImageDefinitionLoader.LoadAsync(options.DefinitionPath, options.Modules, cancellationToken);
        var recipe = await RecipeLoader.LoadAsync(RecipeLoader.Locate(image.Recipe, options.RecipesDirectory), cancellationToken);
        var platform = TargetPlatform.ForOs(recipe.Os, recipe.Source);
        var rawName = ArtifactNames.RawImage(options.Version, recipe.Os, recipe.Machine, image.ArtifactVariantFor(recipe.Os));
        var raw = Path.Combine(options.OutputDirectory, rawName);
        var sums = Path.Combine(options.OutputDirectory, ArtifactNames.ImageChecksums);
        var expected = File.Exists(raw) && File.Exists(sums) ? ChecksumOf(await File.ReadAllTextAsync(sums, cancellationToken), rawName) : null;
        if (expected is null)
        {
            throw new InputException(raw, $"no image (or no line for it in {sums}) here; build it first: ./build.sh --target=Image");
        }

        if (!File.Exists(options.BundlePath))
        {
            throw new InputException(options.BundlePath, "no bundle here; build it first: ./build.sh --target=Bundle");
        }

        if (!File.Exists(options.InstallerPath))
        {
            throw new InputException(options.InstallerPath, "the self-contained installer is missing (the Iso target publishes it)");
        }

        var epoch = ImageBuilder.SourceDateEpoch();
        var work = Path.GetFullPath(Path.Combine(options.WorkDirectory, image.Name + "-iso"));
        var bundleDir = Path.Combine(work, "bundle");
        var liveRoot = Path.Combine(work, "live-root");
        var medium = Path.Combine(work, "medium");
        var compressed = $"pigsty/{rawName}.gz";
        var iso = Path.Combine(options.OutputDirectory, ArtifactNames.ImageStem(options.Version, recipe.Os, recipe.Machine, image.ArtifactVariantFor(recipe.Os)) + ".iso");
        string kernel = "";
        InstallImage? manifest = null;

        var steps = new List<PipelineStep>
        {
            ImageBuilder.BundleStep(runner, loggers, options.BundlePath, bundleDir, say),
            PipelineStep.Of("live-root", async token =>
            {
                say($"live-root: mmdebstrap minbase + {string.Join(", ", LiveRoot.PackagesOn(platform))} from the bundle alone; storage and filesystem modules only");
                ImageBuilder.Recreate(liveRoot);
                Directory.Delete(liveRoot);
                kernel = await new LiveRoot(runner).BuildAsync(Path.Combine(bundleDir, RepoLayout.RootName), liveRoot, options.InstallerPath, platform, token);
            }, "bundle"),
            PipelineStep.Of("initrd", async token =>
            {
                Directory.CreateDirectory(Path.Combine(medium, "live"));
                var entries = await CpioWriter.WriteZstdAsync(liveRoot, Path.Combine(medium, InstallMedium.Initrd), epoch, token);
                File.Copy(kernel, Path.Combine(medium, InstallMedium.Kernel), overwrite: true);
                say($"initrd: {entries} entries, {new FileInfo(Path.Combine(medium, InstallMedium.Initrd)).Length >> 20} MiB (cpio newc, zstd)");
            }, "live-root"),
            PipelineStep.Of("compress", async token =>
            {
                say($"compress: {rawName} → {compressed}, checked against SHA256SUMS as it is read");
                Directory.CreateDirectory(Path.Combine(medium, "pigsty"));
                manifest = await CompressAsync(raw, expected, Path.Combine(medium, compressed), token) with { Version = options.Version, Image = rawName, File = compressed };
                await File.WriteAllTextAsync(Path.Combine(medium, InstallMedium.Manifest), manifest.ToJson(), token);
            }),
            PipelineStep.Of("iso", async token =>
            {
                say($"iso: grub-mkrescue (BIOS and UEFI, hybrid for USB sticks), volume {InstallMedium.VolumeId}");
                Directory.CreateDirectory(Path.Combine(medium, "boot/grub"));
                await File.WriteAllTextAsync(Path.Combine(medium, "boot/grub/grub.cfg"), Config(image, options.Version).Render(), token);
                await HybridIso.MakeAsync(runner, medium, iso, token);
            }, "initrd", "compress"),
            PipelineStep.Of("checksums", async token =>
            {
                say("checksums: SHA256SUMS");
                var line = $"{await Checksums.Sha256FileAsync(iso, token)}  {Path.GetFileName(iso)}";
                await AtomicFile.WriteAllTextAsync(sums, ImageBuilder.MergeChecksums(await File.ReadAllTextAsync(sums, token), [line],
                    name => File.Exists(Path.Combine(options.OutputDirectory, name))), token);
            }, "iso"),
        };
        var timings = await new Pipeline("iso", steps).RunAsync(loggers.CreateLogger<InstallerIsoBuilder>(), observer, cancellationToken);
        return (iso, timings);
    }

    /// <summary>The medium's menu: one entry that boots the live system with the image definition's consoles.</summary>
    public static GrubConfig Config(ImageDefinition image, string version)
    {
        ArgumentNullException.ThrowIfNull(image);
        return GrubConfig.Single(Guid.Empty, $"Install Pigsty Appliance {version} to disk", "/" + InstallMedium.Kernel, "/" + InstallMedium.Initrd,
            $"{image.ConsoleArguments} rdinit=/init") with { RootLabel = InstallMedium.VolumeId, TimeoutSeconds = 3 };
    }

    /// <summary>The SHA-256 SHA256SUMS gives for <paramref name="name"/>, or null.</summary>
    public static string? ChecksumOf(string sums, string name) =>
        sums.Split('\n').Select(l => l.Split("  ", 2)).FirstOrDefault(f => f.Length == 2 && f[1] == name) is { } fields ? fields[0] : null;

    /// <summary>gzip of the raw image; the raw bytes must hash to <paramref name="expected"/>, else nothing is left behind.</summary>
    private static async Task<InstallImage> CompressAsync(string raw, string expected, string output, CancellationToken cancellationToken)
    {
        using var rawHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long bytes = 0;
        await AtomicFile.WriteAsync(output, async (stream, token) =>
        {
            await using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            await using var input = new FileStream(raw, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var buffer = new byte[4 << 20];
            int read;
            while ((read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, token)) > 0)
            {
                rawHash.AppendData(buffer, 0, read);
                await gzip.WriteAsync(buffer.AsMemory(0, read), token);
                bytes += read;
            }

            var actual = Convert.ToHexStringLower(rawHash.GetHashAndReset());
            if (actual != expected)
            {
                throw new IntegrityException($"{raw}: SHA-256 {actual}, but SHA256SUMS says {expected}: the image changed after it was built; rebuild it");
            }
        }, cancellationToken);
        return new InstallImage("", "", bytes, expected, "", await Checksums.Sha256FileAsync(output, cancellationToken));
    }
}
