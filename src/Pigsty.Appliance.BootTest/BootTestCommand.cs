using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Checks;
using Pigsty.Appliance.BootTest.Ha;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.BootTest.Push;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.BootTest;

/// <summary><c>pigsty-boottest</c>: boots the image offline under QEMU (UEFI and BIOS), follows first boot, checks it from the host.</summary>
public static class BootTestCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the boot tests, and returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken) =>
        CommandHost.RunAsync("pigsty-boottest", io, Create, args, cancellationToken);

    private static readonly string[] Suite = ["full", .. ResumeRun.Names, "bios-smoke", "invalid-seed"];

    /// <summary>
    /// Runs only done when asked for with --only: ha, ha-network and push need root (a network namespace) and, for ha and push, several
    /// VMs' time and memory (push also builds the plain image); nocloud is a second full install (a cloud-localds ISO seed), kept out of
    /// the default suite's time; bare-metal (its three runs, or one of them) needs the installer ISO the Iso target builds.
    /// </summary>
    private static readonly string[] OnRequest = ["ha", "ha-network", "nocloud", "push", "bare-metal", .. BareMetalRun.Names];

    /// <summary>The root command: the image as argument, the suite's options.</summary>
    public static RootCommand Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = new Argument<string>("image") { Description = "The image to boot (.img or .qcow2); it is never modified" };
        var bundle = new Option<string?>("--bundle") { Description = "The bundle the image was built from (to compare what the guest serves)" };
        var only = new Option<string[]>("--only") { Description = $"Runs to do: {string.Join(", ", Suite)} (default: these), or {string.Join(", ", OnRequest)}" };
        var cli = new Option<string>("--cli") { Description = "The published pigsty-appliance (ha runs its site command, push its image and deploy commands)", DefaultValueFactory = _ => "artifacts/publish/linux-x64/pigsty-appliance" };
        var firmware = new Option<string?>("--firmware") { Description = "A single run with this firmware (uefi or bios) instead of the suite" };
        firmware.AcceptOnlyFromAmong("uefi", "bios");
        var seed = new Option<string?>("--seed") { Description = "With --firmware: seed inventory (.yml) or seed image for that run" };
        var deadline = new Option<int>("--deadline") { Description = "Minutes first boot may take", DefaultValueFactory = _ => 60 };
        var work = new Option<string>("--work") { Description = "Where overlays, seed volumes and serial logs go", DefaultValueFactory = _ => "artifacts/boottest" };
        var report = new Option<string>("--report") { Description = "The JSON report", DefaultValueFactory = _ => "artifacts/boottest/report.json" };
        var command = new RootCommand("pigsty-boottest: boot the image offline under QEMU and check it from the host: full install + reboot (UEFI), power cut mid-install, BIOS smoke, invalid seed")
        {
            image, bundle, only, firmware, seed, deadline, work, report, cli,
        };
        command.Subcommands.Add(HaLoadCommand.Create(context));
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var imagePath = parseResult.GetRequiredValue(image);
            var workDirectory = parseResult.GetRequiredValue(work);
            var runner = new ProcessRunner(context.Logger<ProcessRunner>());
            var tester = new BootTester(runner, new QemuRunner(runner, new AcceleratorProbe(runner), context.Logger<QemuRunner>()),
                context.Logger<BootTester>());
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var bundlePath = parseResult.GetValue(bundle);
            var minutes = TimeSpan.FromMinutes(parseResult.GetValue(deadline));
            var runs = new List<BootTestRun>();
            void Say(string line) => context.Io.Out.WriteLine(line);
            if (parseResult.GetValue(firmware) is { } single)
            {
                var fw = single == "bios" ? Firmware.Bios : Firmware.Uefi;
                var options = new BootTestOptions(imagePath, fw, workDirectory) { Seed = parseResult.GetValue(seed), Deadline = minutes };
                Say($"pigsty-boottest {single}: booting {imagePath} offline");
                runs.Add(await tester.RunAsync(single, options,
                    (_, g, r, _) => Task.FromResult<IReadOnlyList<CheckResult>>([GuestChecks.BundleVerified(g), GuestChecks.InstallDone(r)]), cancellationToken));
                Print(context.Io.Out, runs[^1]);
            }
            else
            {
                // Checked before anything is written or started: a typo must not cost a key, a seed and a VM.
                var selected = parseResult.GetValue(only) is { Length: > 0 } picked ? picked : Suite;
                if (selected.FirstOrDefault(n => !Suite.Contains(n) && !OnRequest.Contains(n)) is { } unknown)
                {
                    throw new UsageException($"--only '{unknown}': the suite has {string.Join(", ", Suite.Concat(OnRequest))}");
                }

                Directory.CreateDirectory(workDirectory);
                var (key, publicKey) = await GuestShell.CreateKeyAsync(runner, workDirectory, cancellationToken);
                var catalog = bundlePath is null ? null : await BootTestSeed.BundleCatalogAsync(bundlePath, workDirectory, cancellationToken);
                var minio = catalog is not null && BootTestSeed.HasMinio(catalog);
                var testSeed = await BootTestSeed.WriteAsync(Path.Combine("images", "seeds", "meta.yml"), publicKey, workDirectory, minio, cancellationToken);

                var bareMetal = new BareMetalRun(runner, new QemuRunner(runner, new AcceleratorProbe(runner), context.Logger<QemuRunner>()), tester,
                    BareMetalRun.IsoOf(imagePath), workDirectory, testSeed, key, minutes);
                foreach (var name in selected.SelectMany(n => n == "bare-metal" ? BareMetalRun.Names : [n]))
                {
                    Say($"pigsty-boottest {name}: booting {imagePath} offline");
                    try
                    {
                        runs.Add(name switch
                        {
                            "full" => await FullAsync(tester, runner, http, imagePath, workDirectory,
                                await BootTestSeed.WithFidelityAsync(testSeed, workDirectory, cancellationToken), key, bundlePath, catalog?.Platform, minutes, cancellationToken),
                            "resume" or "resume-concurrent" => await ResumeRun.RunAsync(name, tester,
                                new BootTestOptions(imagePath, Firmware.Uefi, workDirectory) { Seed = testSeed, Deadline = minutes }, cancellationToken),
                            "resume-packages" => await ResumeRun.RunAsync(name, tester, new BootTestOptions(imagePath, Firmware.Uefi, workDirectory)
                            {
                                Seed = await BootTestSeed.WithNodePackagesAsync(testSeed, BootTestSeed.ExtraNodePackages, workDirectory, "resume-packages-seed.yml", cancellationToken),
                                Deadline = minutes,
                            }, cancellationToken),
                            "bios-smoke" => await tester.RunAsync(name, new BootTestOptions(imagePath, Firmware.Bios, workDirectory)
                            {
                                Deadline = TimeSpan.FromMinutes(10),
                                Until = ["bundle-verified", "failed"],
                            }, async (_, g, _, token) => [GuestChecks.BundleVerified(g), await SerialLogin.RunAsync(g.Vm, minutes, token)], cancellationToken),
                            "ha" => await new HaRun(runner, tester, imagePath, workDirectory, parseResult.GetRequiredValue(cli), key, publicKey, minutes).RunAsync(cancellationToken),
                            "ha-network" => await HaNetworkRun.RunAsync(runner, tester, imagePath, workDirectory, cancellationToken),
                            "push" => await new PushRun(runner, tester, workDirectory, parseResult.GetRequiredValue(cli), bundlePath, key, publicKey, minutes)
                                .RunAsync(cancellationToken),
                            _ when BareMetalRun.Names.Contains(name) => await bareMetal.RunAsync(name, cancellationToken),
                            "nocloud" => await NoCloudRun.RunAsync(tester, runner, imagePath, workDirectory, testSeed, minutes, cancellationToken),
                            _ => await InvalidSeedAsync(tester, runner, imagePath, workDirectory, cancellationToken),
                        });
                    }
                    catch (ApplianceException e)
                    {
                        // One VM that cannot run (QEMU refused, a tool failed) fails its run; the others still run and the report is written.
                        runs.Add(new BootTestRun(name, name == "bios-smoke" ? "bios" : "uefi", "", false, new Dictionary<string, double>(), null,
                            [new CheckResult("the VM ran", false, e.Message)], Path.Combine(workDirectory, name + ".serial.log")));
                    }

                    Print(context.Io.Out, runs[^1]);
                }
            }

            var reportPath = parseResult.GetRequiredValue(report);
            await AtomicFile.WriteAllTextAsync(reportPath,
                JsonSerializer.Serialize(new { image = imagePath, runs }, new JsonSerializerOptions { WriteIndented = true }) + "\n", cancellationToken);
            Say($"report: {reportPath}");
            return runs.All(r => r.Passed) ? 0 : (int)ExitCode.InstallFailed;
        });
        return command;
    }

    /// <summary>The default single-node layout installed from a seed volume, checked in full, rebooted, checked again.</summary>
    private static async Task<BootTestRun> FullAsync(BootTester tester, ProcessRunner runner, HttpClient http, string image, string work, string seed, string key,
        string? bundle, TargetPlatform? platform, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var checks = new FullInstallChecks(runner, http, work, key, bundle, seed, image) { Platform = platform };
        try
        {
            var run = await tester.RunAsync("full", new BootTestOptions(image, Firmware.Uefi, work) { Seed = seed, Deadline = deadline }, checks.RunAsync, cancellationToken);
            return run with { Figures = checks.Figures };
        }
        finally
        {
            await checks.StopAsync();
        }
    }

    /// <summary>A seed whose pg_seq is not an integer: first boot must stop with the loader's exact error and change nothing else.</summary>
    private static async Task<BootTestRun> InvalidSeedAsync(BootTester tester, ProcessRunner runner, string image, string work, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(work);
        var text = (await File.ReadAllTextAsync(Path.Combine("images", "seeds", "meta.yml"), cancellationToken))
            .Replace("pg_seq: 1,", "pg_seq: one,", StringComparison.Ordinal);
        var seed = Path.Combine(work, "invalid-seed.yml");
        await File.WriteAllTextAsync(seed, text, cancellationToken);
        var guestPath = Path.Combine(NodeLayout.SeedMountPoint, SeedMedia.InventoryName);
        var expected = Assert.Throws(() => InventoryLoader.Parse(text, guestPath));
        var options = new BootTestOptions(image, Firmware.Uefi, work) { Seed = seed, Deadline = TimeSpan.FromMinutes(15), Until = ["failed", "done"] };
        return await tester.RunAsync("invalid-seed", options, async (_, _, result, token) =>
        [
            GuestChecks.SeedErrorReported(result, expected),
            await GuestChecks.WriteBackAsync(runner, Path.Combine(work, "invalid-seed.seed.img"), "failed", token),
        ], cancellationToken);
    }

    private static void Print(TextWriter output, BootTestRun run)
    {
        output.WriteLine($"  {run.Name}: {(run.Passed ? "PASSED" : "FAILED")} ({run.Firmware}, {run.Accelerator}); {string.Join(", ", run.Phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0.0} s")))}");
        if (run.Figures.Count > 0)
        {
            output.WriteLine($"    figures: {string.Join(", ", run.Figures.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} {f.Value:0.##}")))}");
        }

        if (run.Timeline is { Modules.Count: > 0 } timeline)
        {
            output.WriteLine($"    timeline: {string.Join("; ", timeline.Summary())}");
        }

        foreach (var check in run.Checks)
        {
            output.WriteLine($"    [{(check.Skipped ? "skip" : check.Passed ? " ok " : "FAIL")}] {check.Name}: {check.Detail}");
        }
    }

    /// <summary>The message an input error carries (the seed must be invalid for this run to mean anything).</summary>
    private static class Assert
    {
        public static string Throws(Action parse)
        {
            try
            {
                parse();
            }
            catch (InputException e)
            {
                return e.Message;
            }

            throw new InvalidOperationException("the invalid-seed run's seed parsed cleanly");
        }
    }
}
