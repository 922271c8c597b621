using System.CommandLine;
using System.Text.Json;
using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Imaging.Definition;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>layout</c>: the names and places the build host and the nodes share, so that build scripts read them instead of spelling them.</summary>
public static class LayoutCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = new Option<string>("--image") { Description = "Image definition name (images/NAME.yml) or path", DefaultValueFactory = _ => ImageDefinitionLoader.DefaultName };
        var output = new Option<string>("--output", "-o") { Description = "Directory the bundle and the images are written to", DefaultValueFactory = _ => "dist" };
        var json = new Option<bool>("--json") { Description = "Print JSON (for build scripts) instead of lines" };
        var command = new Command("layout", "Print the bundle and image file names of an image definition, and the paths on a node")
        {
            definition, output, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var image = await ImageDefinitionLoader.LoadAsync(ImageCommand.Locate(parseResult.GetRequiredValue(definition)), ImageCommand.Modules, cancellationToken);
            var recipe = await RecipeLoader.LoadAsync(RecipeLoader.Locate(image.Recipe, "recipes"), cancellationToken);
            var layout = LayoutReport.Of(ProductVersion.Value, recipe.Os, recipe.Machine, parseResult.GetRequiredValue(output), image.ArtifactVariantFor(recipe.Os));
            if (parseResult.GetValue(json))
            {
                await context.Io.Out.WriteLineAsync(JsonSerializer.Serialize(layout, Indented));
                return 0;
            }

            foreach (var line in layout.Lines())
            {
                await context.Io.Out.WriteLineAsync(line);
            }

            return 0;
        });
        return command;
    }
}
