// Targets: Prerequisites, Build, Test, VmTest, Bundle, Image, Iso, BootTest, Bench. See README.md.
#load "build/paths.cake"
#load "build/prerequisites.cake"
#load "build/tests.cake"
#load "build/cli.cake"

var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");

Task("Prerequisites")
    .Description("Check the host tools later targets need; install missing ones with apt on Debian as root; unpack Debian 13's tools for the tests.")
    .Does(() =>
    {
        EnsurePrerequisites();
        EnsureTargetTools();
    });

Task("Build")
    .Description("Compile the solution (warnings are errors; locked restore when CI=true).")
    .Does(() => DotNetBuild(Paths.Solution, new DotNetBuildSettings { Configuration = configuration }));

Task("Test")
    .Description("Run every test except VM boots; prints 'N passed, N failed'.")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Build")
    .Does(() => RunTests(configuration, Argument("test-filter", "Category!=VM"), Paths.TestResults));

Task("VmTest")
    .Description("Run the tests that boot small test images under QEMU (Category=VM: GRUB boots, the boot proof); prints 'N passed, N failed'.")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Build")
    .Does(() => RunTests(configuration, "Category=VM", Paths.VmTestResults));

Task("Publish")
    .Description("Publish pigsty-appliance self-contained for linux-x64 as one file (what the image carries).")
    .Does(() => PublishCli(configuration));

Task("Bundle")
    .Description("Build the offline package bundle dist/pigsty-pkg-<version>.d12.x86_64.tgz (default recipe).")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Publish")
    .Does(() => RunCli("bundle", CliArguments("recipe", "mirror", "binary", "locked", "update", "signing-key", "format", "cache", "no-prove", "prove")));

Task("Image")
    .Description("Build the bootable disk image from the bundle alone (run Bundle first).")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Publish")
    .Does(() => RunCli("image", CliArguments("image", "bundle")));

Task("Iso")
    .Description("Build the bare-metal installer ISO (hybrid: CD or USB stick, BIOS and UEFI) from the built image and the bundle (run Image first).")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Publish")
    .Does(() => RunCli("iso", CliArguments("image", "bundle")));

Task("BootTest")
    .Description("Boot the image offline under QEMU (UEFI full install, BIOS smoke, invalid seed) and check it from the host, with pigsty-boottest; --only=ha boots the three-node HA site, --only=push deploys over SSH onto two plain Debian 12 VMs and adds a replica (root: a network namespace).")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Publish")
    .Does(() =>
    {
        EnsureBootTestPackages();
        PublishBootTest(configuration);
        var layout = ReadLayout(CliArguments("image"));
        // --cli: the ha run writes its site (CA, secrets, one seed volume per node) with the published pigsty-appliance site; the push run
        // builds the plain image and deploys with it (--bundle is what both the plain image and deploy install from).
        RunProgram(Paths.BootTest, "pigsty-boottest", new[] { layout.Image, "--bundle", layout.Bundle, "--cli", Paths.Cli }.Concat(CliArguments("only", "deadline")));
    });

Task("Bench")
    .Description("Compare Bundle with Pigsty's own repo pipeline side by side (closure, resolve, cold, warm, memory) and print ratios.")
    .IsDependentOn("Prerequisites")
    .IsDependentOn("Publish")
    .Does(() => RunCli("bench", CliArguments("recipe")));

RunTarget(target);
