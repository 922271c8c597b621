using System.Text.Json;
using Pigsty.Appliance.Bundler.Pack;
using Pigsty.Appliance.Bundler.Seal;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Cli.Tests.Commands;

/// <summary><c>layout --json</c> is what build/paths.cake reads for the BootTest target: its names must be the ones the bundler and image builder write.</summary>
public sealed class LayoutCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_default_image_names_the_bundle_and_image_the_build_scripts_expect()
    {
        var layout = await LayoutAsync("--output", "dist");

        var version = ProductVersion.Value;
        Assert.Equal($"dist/pigsty-pkg-{version}.d12.x86_64.tgz", layout.GetProperty("bundle").GetString());
        Assert.Equal($"dist/pigsty-appliance-{version}.d12.x86_64.img", layout.GetProperty("image").GetString());
        Assert.Equal(("d12", "x86_64"), (layout.GetProperty("os").GetString(), layout.GetProperty("architecture").GetString()));
    }

    [Fact]
    public async Task Another_image_definition_is_named_after_itself_beside_the_default_and_shares_its_bundle()
    {
        var run = await CliRun.Of("layout", "--json", "--output", "dist", "--image", Path.Combine(Path.GetDirectoryName(ImageDefinition())!, "plain-d12.yml"));
        Assert.True(run.ExitCode == 0, run.Error);
        var layout = JsonDocument.Parse(run.Out).RootElement;

        var version = ProductVersion.Value;
        Assert.Equal($"dist/pigsty-appliance-plain-d12-{version}.d12.x86_64.img", layout.GetProperty("image").GetString());
        Assert.Equal($"dist/pigsty-pkg-{version}.d12.x86_64.tgz", layout.GetProperty("bundle").GetString());
    }

    [Fact]
    public async Task The_debian13_appliance_names_its_target_s_bundle_and_image_without_a_variant()
    {
        var run = await CliRun.Of("layout", "--json", "--output", "dist", "--image", Path.Combine(Path.GetDirectoryName(ImageDefinition())!, "appliance-d13.yml"));
        Assert.True(run.ExitCode == 0, run.Error);
        var layout = JsonDocument.Parse(run.Out).RootElement;

        var version = ProductVersion.Value;
        Assert.Equal($"dist/pigsty-pkg-{version}.d13.x86_64.tgz", layout.GetProperty("bundle").GetString());
        Assert.Equal($"dist/pigsty-appliance-{version}.d13.x86_64.img", layout.GetProperty("image").GetString());
        Assert.Equal("d13", layout.GetProperty("os").GetString());
    }

    [Fact]
    public async Task The_bundle_name_is_the_one_the_bundler_writes()
    {
        var layout = await LayoutAsync("--output", _temp.Path);

        var bundler = new BundleInfo(ArtifactNames.BundlePrefix, ProductVersion.Value, "d12", "x86_64", DateTimeOffset.UnixEpoch).FileStem
            + PackOptions.ExtensionOf(PackFormat.Tgz);
        Assert.Equal(Path.Combine(_temp.Path, bundler), layout.GetProperty("bundle").GetString());
    }

    [Fact]
    public async Task The_node_paths_are_the_contract_s()
    {
        var node = (await LayoutAsync()).GetProperty("node");

        Assert.Equal(NodeLayout.Installer, node.GetProperty("installer").GetString());
        Assert.Equal(NodeLayout.Repo, node.GetProperty("repo").GetString());
        Assert.Equal(NodeLayout.FirstBootDone, node.GetProperty("firstboot_done").GetString());
        Assert.Equal(NodeLayout.StatusFile, node.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_json_it_prints_one_line_per_name()
    {
        var run = await CliRun.Of("layout", "--image", ImageDefinition());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains($"image: {Path.Combine("dist", ArtifactNames.RawImage(ProductVersion.Value, "d12", "x86_64"))}\n", run.Out, StringComparison.Ordinal);
        Assert.Contains($"node.step_journal: {NodeLayout.StepJournal}\n", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_image_definition_exits_3_naming_it()
    {
        var run = await CliRun.Of("layout", "--json", "--image", _temp.File("nope.yml"));

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("nope.yml", run.Error, StringComparison.Ordinal);

        // Under --json stdout holds the error document (README: JSON output), never a layout a build script could take for real.
        using var json = System.Text.Json.JsonDocument.Parse(run.Out);
        Assert.Equal(3, json.RootElement.GetProperty("error").GetProperty("exit_code").GetInt32());
        Assert.False(json.RootElement.TryGetProperty("bundle", out _));
    }

    /// <summary>The real default definition; its recipe is read from recipes/ under the working directory (the test output, where both are copied).</summary>
    private static string ImageDefinition()
    {
        Assert.True(File.Exists(Path.Combine("recipes", "pigsty-d12.yml")), $"the test runs in its output directory, not in {Environment.CurrentDirectory}");
        return TestData.Path("images", "appliance-d12.yml");
    }

    private async Task<JsonElement> LayoutAsync(params string[] options)
    {
        var run = await CliRun.Of(["layout", "--json", "--image", ImageDefinition(), .. options]);
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Out).RootElement.Clone();
    }
}
