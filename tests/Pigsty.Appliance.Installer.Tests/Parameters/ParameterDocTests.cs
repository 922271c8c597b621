using System.Text;
using Pigsty.Appliance.Installer.Parameters;

namespace Pigsty.Appliance.Installer.Tests.Parameters;

/// <summary>docs/parameters.md is the table as the code has it; PIGSTY_UPDATE_GOLDEN=1 rewrites it.</summary>
public sealed class ParameterDocTests
{
    [Fact]
    public void The_document_in_the_repository_is_the_table_rendered()
    {
        var path = Path.GetFullPath(Path.Combine(ParameterTableTests.SourceDirectory(), "..", "..", "..", "docs", "parameters.md"));
        var rendered = ParameterDoc.Render();
        if (Environment.GetEnvironmentVariable("PIGSTY_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, rendered, new UTF8Encoding(false));
        }

        Assert.True(File.Exists(path), $"{path} is missing; run with PIGSTY_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(path), rendered);
    }

    [Fact]
    public void Every_entry_has_a_row_or_a_mention()
    {
        var text = ParameterDoc.Render();

        Assert.Equal([], ParameterTable.All.Where(p => !text.Contains($"`{p.Name}`", StringComparison.Ordinal)).Select(p => p.Name).ToList());
    }
}
