using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Bundler.Bootstrap;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Imaging.Disk;
using Pigsty.Appliance.Imaging.Gpt;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Repository.Apt;
using Pigsty.Appliance.Repository.Archives;
using Pigsty.Appliance.Repository.Sealed;
using Pigsty.Appliance.Repository.Verify;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>The Image pipeline: bundle → rootfs → customize → disk → convert → manifest → checksums, as named steps.</summary>
public sealed class ImageBuilder(IProcessRunner runner, ILoggerFactory loggers)
{
    /// <summary>dpkg options for the image: no fsync per file (the image is written whole), no man pages, docs or translations.</summary>
    public static readonly IReadOnlyList<string> DpkgOptions =
    [
        "force-unsafe-io",
        "path-exclude=/usr/share/man/*", "path-exclude=/usr/share/info/*", "path-exclude=/usr/share/locale/*",
        "path-exclude=/usr/share/doc/*", "path-include=/usr/share/doc/*/copyright",
    ];

    /// <summary>Builds the image; <paramref name="observer"/> hears each stage start and end and the conversions' progress.</summary>
    public async Task<ImageResult> BuildAsync(ImageOptions options, IImageObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var say = observer.Say;
        var image = await ImageDefinitionLoader.LoadAsync(options.DefinitionPath, options.Modules, cancellationToken);
        // The preinstalled packages: chosen by the rootfs step once the bundle is open, read by the customize step.
        IReadOnlyList<string> preinstall = [];
        var recipe = await RecipeLoader.LoadAsync(RecipeLoader.Locate(image.Recipe, options.RecipesDirectory), cancellationToken);
        var platform = TargetPlatform.ForOs(recipe.Os, recipe.Source);
        var group = recipe.FindGroup(image.BaseGroup)
            ?? throw new InputException(image.Source, $"base_group: recipe {recipe.Source} has no group '{image.BaseGroup}'");
        if (!File.Exists(options.BundlePath))
        {
            throw new InputException(options.BundlePath, "no bundle here; build it first: ./build.sh --target=Bundle");
        }

        var keys = KeysFor(image, options.AuthorizedKeys);
        if (image.FirstBoot && !File.Exists(options.InstallerPath))
        {
            throw new InputException(options.InstallerPath, "the self-contained installer is missing (the Image target publishes it)");
        }

        var epoch = SourceDateEpoch();
        var guids = epoch is { } e ? GuidSource.FromSeed($"{image.Name}:{options.Version}:{e}") : GuidSource.Random;
        var rootUuid = guids.Next("root-filesystem");
        var stem = ArtifactNames.ImageStem(options.Version, recipe.Os, recipe.Machine, image.ArtifactVariantFor(recipe.Os));
        var raw = Path.Combine(options.OutputDirectory, ArtifactNames.RawImage(options.Version, recipe.Os, recipe.Machine, image.ArtifactVariantFor(recipe.Os)));
        // Absolute: useradd --root refuses a relative chroot path ("only absolute paths are supported"), and so the push boot test's
        // relative --work failed the plain image's customize step.
        var work = Path.GetFullPath(Path.Combine(options.WorkDirectory, image.Name));
        var bundleDir = Path.Combine(work, "bundle");
        var rootfs = Path.Combine(work, "rootfs");
        var repo = Path.Combine(bundleDir, RepoLayout.RootName);
        var basePackages = group.Packages.Select(p => p == platform.KernelPackage ? image.KernelPackageOn(platform) : p).ToList();
        var images = new List<string> { raw };
        string manifest = Path.Combine(options.OutputDirectory, stem + ArtifactNames.PackageManifestExtension);
        string sums = Path.Combine(options.OutputDirectory, ArtifactNames.ImageChecksums);
        long allocated = 0;

        var steps = new List<PipelineStep>
        {
            BundleStep(runner, loggers, options.BundlePath, bundleDir, say),
            PipelineStep.Of("rootfs", async token =>
            {
                // A module the bundle does not carry (MINIO without its binaries) is not preinstalled: first boot skips it too.
                preinstall = await PreinstallFromAsync(image, platform, repo, say, token);
                var packages = basePackages.Concat(preinstall).Distinct().ToList();
                say($"rootfs: mmdebstrap {packages.Count} packages (group {group.Name}{(preinstall.Count > 0 ? " + preinstall" : "")}) from the bundle alone");
                Recreate(rootfs);
                Directory.Delete(rootfs);
                await new Mmdebstrap(runner).RunAsync(new MmdebstrapRequest(repo, rootfs, packages)
                {
                    DpkgOptions = DpkgOptions,
                    Environment = InitramfsOnce.Deferred,
                    CustomizeHooks = [InitramfsOnce.CustomizeHook],
                    SetupHooks = preinstall.Count == 0 ? [] :
                    [
                        // Debian's postgresql-common must not create a cluster: Patroni creates it at first boot.
                        "mkdir -p \"$1/etc/postgresql-common\" && printf 'create_main_cluster = false\\n' > \"$1/etc/postgresql-common/createcluster.conf\"",
                    ],
                }, token);
            }, "bundle"),
            PipelineStep.Of("customize", token =>
            {
                say(image.FirstBoot
                    ? $"customize: bundle at {NodeLayout.Repo}, installer, default seed, first-boot units, apt source{(image.AdminUser is { } a ? $", admin user {a}" : "")}"
                    : $"customize: plain host (no bundle, installer or first boot), host keys, DHCP, admin user {image.AdminUser} with {keys.Count} key(s)");
                return new RootfsCustomizer(runner).CustomizeAsync(rootfs, image, platform, repo, options.InstallerPath, rootUuid, basePackages, preinstall, keys, token);
            }, "rootfs"),
            PipelineStep.Of("disk", async token =>
            {
                say($"disk: GPT ({image.DiskSize >> 30} GiB), ext4 root, ESP with GRUB EFI, GRUB BIOS core");
                var disk = await new BootableDiskBuilder(runner).BuildAsync(new BootableDiskOptions(raw, image.DiskSize, rootfs, rootUuid)
                {
                    Guids = guids,
                    SourceDateEpoch = epoch,
                    EspSizeBytes = image.EspSize,
                    ConsoleArguments = image.ConsoleArguments,
                    MenuTitle = $"Pigsty Appliance {options.Version}",
                }, token);
                allocated = await AllocatedBytesAsync(raw, token);
                say($"disk: {string.Join(", ", disk.Steps.Select(s => $"{s.Name} {s.Elapsed.TotalSeconds:0.0} s"))}; {allocated >> 20} MiB allocated");
            }, "customize"),
            PipelineStep.Of("convert", async token =>
            {
                // Side by side: each qemu-img mostly waits on reads of the same raw image, which the page cache then serves once.
                var converter = new DiskConverter(runner);
                var targets = image.Formats.Where(f => f != "raw").Select(f => (Format: f, Path: Path.Combine(options.OutputDirectory, $"{stem}.{f}"))).ToList();
                say($"convert: {string.Join(", ", targets.Select(t => Path.GetFileName(t.Path)))}");
                await Task.WhenAll(targets.Select(t => converter.ConvertAsync(raw, t.Path, Enum.Parse<DiskFormat>(t.Format, ignoreCase: true), compress: false,
                    new SyncProgress<double>(percent => observer.Report(new ConvertProgress(Path.GetFileName(t.Path), percent))), token)));
                images.AddRange(targets.Select(t => t.Path));
            }, "disk"),
            PipelineStep.Of("manifest", token =>
            {
                say($"manifest: installed packages of the image → {Path.GetFileName(manifest)}");
                return WriteManifestAsync(rootfs, repo, manifest, token);
            }, "disk"),
            PipelineStep.Of("checksums", async token =>
            {
                say("checksums: SHA256SUMS");
                var files = images.Append(manifest).ToList();
                var hashes = await Task.WhenAll(files.Select(f => Task.Run(() => Checksums.Sha256FileAsync(f, token), token)));
                var lines = files.Select((f, i) => $"{hashes[i]}  {Path.GetFileName(f)}").ToList();
                await AtomicFile.WriteAllTextAsync(sums, MergeChecksums(File.Exists(sums) ? await File.ReadAllTextAsync(sums, token) : "", lines,
                    name => File.Exists(Path.Combine(options.OutputDirectory, name))), token);
            }, "convert", "manifest"),
        };
        var timings = await new Pipeline("image", steps).RunAsync(loggers.CreateLogger<ImageBuilder>(), observer, cancellationToken);
        return new ImageResult(images, sums, manifest, allocated, timings);
    }

    /// <summary>
    /// The admin user's keys: the definition's, then <paramref name="added"/> ones (each once). Keys without an admin user, or a plain image
    /// without any key, are input errors naming the definition: without a first boot nothing else would ever let anyone log in.
    /// </summary>
    public static IReadOnlyList<string> KeysFor(ImageDefinition image, IReadOnlyList<string> added)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(added);
        if (added.Count > 0 && image.AdminUser is null)
        {
            throw new InputException(image.Source, "authorized keys were added, but the definition names no admin_user to log in as");
        }

        var keys = image.AuthorizedKeys.Concat(added).Distinct(StringComparer.Ordinal).ToList();
        return image.FirstBoot || keys.Count > 0 ? keys
            : throw new InputException(image.Source, "a plain image (firstboot: false) needs a key to log in with: list it in authorized_keys, or add one with --authorized-key FILE");
    }

    /// <summary>
    /// SHA256SUMS after a build: the lines of this build, then those kept from <paramref name="existing"/> for other files still in the folder
    /// (another image definition's), so that building one image never drops the sums of another.
    /// </summary>
    public static string MergeChecksums(string existing, IReadOnlyList<string> lines, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(exists);
        static string NameOf(string line) => line.Split("  ", 2) is [_, var name] ? name : "";
        var ours = lines.Select(NameOf).ToHashSet(StringComparer.Ordinal);
        var kept = existing.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => NameOf(l) is { Length: > 0 } name && !ours.Contains(name) && exists(name));
        return string.Join('\n', lines.Concat(kept)) + "\n";
    }

    /// <summary>The bundle verified (a signed one only) and extracted into <paramref name="bundleDir"/>: the first step of Image and Iso.</summary>
    internal static PipelineStep BundleStep(IProcessRunner runner, ILoggerFactory loggers, string bundlePath, string bundleDir, Action<string> say) =>
        PipelineStep.Of("bundle", async token =>
        {
            say($"bundle: verifying and extracting {bundlePath}");
            SignedBundle.Require(await new BundleVerifier(runner, loggers.CreateLogger<BundleVerifier>()).VerifyAsync(bundlePath, token));
            // In-process (no host tar or zstd), into a temp directory beside bundleDir that replaces it only when whole.
            await ArchiveExtractor.ExtractAsync(bundlePath, bundleDir, include: null, token);
        });

    /// <summary>SOURCE_DATE_EPOCH when set (reproducible builds), else null.</summary>
    internal static long? SourceDateEpoch() =>
        Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH") is { Length: > 0 } text && long.TryParse(text, out var seconds) ? seconds : null;

    internal static void Recreate(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
    }

    private async Task<long> AllocatedBytesAsync(string path, CancellationToken cancellationToken) =>
        long.Parse((await runner.RunAsync(ProcessSpec.Of("du", "--block-size=1", path), cancellationToken)).StandardOutput.Split('\t')[0],
            System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The packages of the definition's preinstall modules that the bundle's repo carries whole; the others are named and left out.</summary>
    private static async Task<IReadOnlyList<string>> PreinstallFromAsync(ImageDefinition image, TargetPlatform platform, string repo, Action<string> say, CancellationToken cancellationToken)
    {
        using var reader = new StringReader(await File.ReadAllTextAsync(Path.Combine(repo, RepoLayout.Packages), cancellationToken));
        var inRepo = ControlStanza.ParseAll(reader).Select(s => s["Package"]).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var chosen = new List<string>();
        foreach (var module in image.Preinstall)
        {
            var packages = module.PackagesOn(platform);
            var lacking = packages.Where(p => !inRepo.Contains(p)).ToList();
            if (lacking.Count > 0)
            {
                say($"preinstall: {module.Name} left out: the bundle lacks {string.Join(", ", lacking)} (first boot skips it as well)");
                continue;
            }

            chosen.AddRange(packages);
        }

        return chosen.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>name, version, arch and SHA-256 (from the bundle's index) of every package installed in the image.</summary>
    private async Task WriteManifestAsync(string rootfs, string repo, string path, CancellationToken cancellationToken)
    {
        var installed = await runner.RunAsync(ProcessSpec.Of("dpkg-query", $"--admindir={rootfs}/var/lib/dpkg", "--show",
            "--showformat=${Package}\t${Version}\t${Architecture}\n"), cancellationToken);
        var index = ControlStanza.ParseAll(new StringReader(await File.ReadAllTextAsync(Path.Combine(repo, RepoLayout.Packages), cancellationToken)))
            .ToDictionary(s => (s["Package"]!, s["Version"]!, s["Architecture"]!), s => s["SHA256"]);
        var packages = installed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Select(f => new { name = f[0], version = f[1], arch = f[2], sha256 = index.GetValueOrDefault((f[0], f[1], f[2])) })
            .OrderBy(p => p.name, StringComparer.Ordinal)
            .ToList();
        var missing = packages.Where(p => p.sha256 is null).Select(p => p.name).ToList();
        if (missing.Count > 0)
        {
            throw new IntegrityException($"installed in the image but not in the bundle: {string.Join(", ", missing)}");
        }

        // The installer the image carries, by hash: one binary serves every target, so images of d12 and d13 built together name the same.
        var installerFile = Path.Combine(rootfs, NodeLayout.Installer.TrimStart('/'));
        object? installer = null;
        if (File.Exists(installerFile))
        {
            await using var stream = File.OpenRead(installerFile);
            installer = new { path = NodeLayout.Installer, sha256 = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken)) };
        }

        await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(new { installer, packages }, new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
    }
}
