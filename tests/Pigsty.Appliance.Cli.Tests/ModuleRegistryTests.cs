using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Cli.Commands;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests;

/// <summary>The installer's module registry against what lives outside the installer: the recipe, image definitions, the inventory summary.</summary>
public sealed class ModuleRegistryTests
{
    private static readonly string ImagePath = TestData.Path("images", "appliance-d12.yml");

    [Theory]
    [InlineData("pigsty-d12")]
    [InlineData("pigsty-d13")]
    public async Task The_recipe_carries_every_modules_packages_in_the_groups_the_module_names(string name)
    {
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", name + ".yml"), CancellationToken.None);
        var platform = TargetPlatform.ForOs(recipe.Os, recipe.Source);

        foreach (var module in InstallModules.Descriptors)
        {
            var carried = module.RecipeGroups.SelectMany(name =>
                recipe.FindGroup(name)?.Packages
                ?? (recipe.Binaries.Any(b => b.Name == name) ? [name] : throw new Xunit.Sdk.XunitException(
                    $"{module.Name} names '{name}', which is neither a group nor a binary of {recipe.Source}"))).ToHashSet(StringComparer.Ordinal);
            Assert.NotEmpty(module.PackagesOn(platform));
            Assert.All(module.PackagesOn(platform), p => Assert.True(carried.Contains(p),
                $"{module.Name} installs {p}, but none of its recipe groups ({string.Join(", ", module.RecipeGroups)}) carries it"));
        }
    }

    [Fact]
    public async Task The_default_image_preinstalls_exactly_the_registered_modules()
    {
        var keys = InstallModules.Descriptors.Select(d => d.Key).ToList();
        var text = await File.ReadAllTextAsync(ImagePath);

        var image = ImageDefinitionLoader.Parse(text, ImagePath, ImageCommand.Modules);
        var unknown = Assert.Throws<InputException>(() => ImageDefinitionLoader.Parse(text.Replace("preinstall: [", "preinstall: [redis, ", StringComparison.Ordinal), ImagePath, ImageCommand.Modules));

        Assert.Equal(keys, image.Preinstall.Select(m => m.Name));
        Assert.Equal(InstallModules.Descriptors.SelectMany(d => d.PackagesOn(TargetPlatform.Debian12)).Distinct(), image.PreinstallPackagesOn(TargetPlatform.Debian12));
        Assert.EndsWith($"preinstall[0]: unknown value 'redis' (expected one of {string.Join(", ", keys)})", unknown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("appliance-d12.yml")]
    [InlineData("appliance-d13.yml")]
    [InlineData("plain-d12.yml")]
    public async Task Every_image_definition_loads_with_its_recipe_and_preinstalls_what_the_recipe_carries(string file)
    {
        var image = await ImageDefinitionLoader.LoadAsync(TestData.Path("images", file), ImageCommand.Modules, CancellationToken.None);
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", image.Recipe + ".yml"), CancellationToken.None);
        var platform = TargetPlatform.ForOs(recipe.Os, recipe.Source);
        var carried = recipe.Groups.SelectMany(g => g.Packages).Concat(recipe.Binaries.Select(b => b.Name)).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Path.GetFileNameWithoutExtension(file), image.Name);
        Assert.NotNull(recipe.FindGroup(image.BaseGroup));
        Assert.Contains(image.KernelPackageOn(platform), carried);
        Assert.All(image.PreinstallPackagesOn(platform), p => Assert.True(carried.Contains(p), $"{file} preinstalls {p}, which {recipe.Source} does not carry"));
    }

    [Fact]
    public void Every_committed_image_definition_is_covered_above()
    {
        var files = Directory.GetFiles(Path.GetDirectoryName(ImagePath)!, "*.yml").Select(Path.GetFileName).Order(StringComparer.Ordinal);

        Assert.Equal(["appliance-d12.yml", "appliance-d13.yml", "plain-d12.yml"], files);
    }

    [Fact]
    public async Task Inventory_check_prints_each_registered_modules_members()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("pigsty.yml", """
            all:
              children:
                infra:   { hosts: { 10.10.10.10: { infra_seq: 1 } } }
                etcd:    { hosts: { 10.10.10.10: { etcd_seq: 1 } }, vars: { etcd_cluster: etcd } }
                minio:   { hosts: { 10.10.10.10: { minio_seq: 1 } }, vars: { minio_cluster: minio } }
                pg-meta: { hosts: { 10.10.10.10: { pg_seq: 1, pg_role: primary } }, vars: { pg_cluster: pg-meta } }
              vars: { admin_ip: 10.10.10.10 }
            """);

        var run = await CliRun.Of("inventory", "check", path);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            [
                $"valid: {path}", "admin_ip: 10.10.10.10", "node: 10.10.10.10", "infra: 10.10.10.10 (infra_seq 1)", "etcd etcd: etcd-1 10.10.10.10",
                "minio minio: minio-1 10.10.10.10", "pgsql pg-meta: pg-meta-1 10.10.10.10 primary",
            ],
            run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(InstallModules.Descriptors.Select(d => d.Key), run.Out.Split('\n').Skip(2).Select(l => l.Split(':', ' ')[0]).Where(k => k.Length > 0));
    }
}
