using Pigsty.Appliance.Imaging.Disk;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Architecture;

/// <summary>Imaging's folders depend on each other one way only (Disk on Gpt, Filesystems and Boot; those on Regions; never back).</summary>
public sealed class NamespaceCycleTests
{
    private const string Root = "Pigsty.Appliance.Imaging";

    [Fact]
    public void Imaging_namespaces_form_no_cycle()
    {
        var graph = NamespaceGraph.Of(typeof(BootableDiskBuilder).Assembly, Root);

        var cycles = graph.Cycles();

        Assert.True(cycles.Count == 0, "namespaces that use each other: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void The_graph_sees_uses_in_signatures_and_in_method_bodies()
    {
        var graph = NamespaceGraph.Of(typeof(BootableDiskBuilder).Assembly, Root);

        // BootableDisk holds a GptDisk (a signature); BootableDiskBuilder uses the ext4 and FAT builders only inside its methods (IL).
        Assert.Contains($"{Root}.Gpt", graph.Edges[$"{Root}.Disk"]);
        Assert.Contains($"{Root}.Filesystems", graph.Edges[$"{Root}.Disk"]);
        Assert.Contains($"{Root}.Boot", graph.Edges[$"{Root}.Disk"]);
        Assert.Contains($"{Root}.Regions", graph.Edges[$"{Root}.Gpt"]);
        Assert.Contains($"{Root}.Regions", graph.Edges[$"{Root}.Filesystems"]);
        Assert.DoesNotContain($"{Root}.Disk", graph.Edges[$"{Root}.Gpt"]);
    }

    [Fact]
    public void A_cycle_is_reported_with_its_namespaces()
    {
        var graph = NamespaceGraph.FromEdges("N", [("N.Disk", "N.Gpt"), ("N.Gpt", "N.Regions"), ("N.Gpt", "N.Disk"), ("N.Boot", "N.Regions")]);

        var cycle = Assert.Single(graph.Cycles());

        Assert.Equal(["N.Disk", "N.Gpt"], cycle);
    }
}
