using System.Globalization;
using System.Text.Json;
using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

/// <summary>Compares a <see cref="GptDisk"/> with what <c>sfdisk --json</c> reports for the same image.</summary>
internal static class SfdiskAssert
{
    public static void Matches(GptDisk disk, JsonElement table)
    {
        Assert.Equal("gpt", table.GetProperty("label").GetString());
        Assert.Equal(disk.DiskGuid, Guid.Parse(table.GetProperty("id").GetString()!));
        Assert.Equal(disk.FirstUsableLba, table.GetProperty("firstlba").GetInt64());
        Assert.Equal(disk.LastUsableLba, table.GetProperty("lastlba").GetInt64());
        var rows = table.TryGetProperty("partitions", out var list) ? list.EnumerateArray().ToList() : [];
        Assert.Equal(disk.Partitions.Count, rows.Count);
        foreach (var row in rows)
        {
            var node = row.GetProperty("node").GetString()!;
            var number = int.Parse(node[(node.TrimEnd("0123456789".ToCharArray()).Length)..], CultureInfo.InvariantCulture);
            var partition = Assert.Single(disk.Partitions, p => p.Number == number);
            Assert.Equal(partition.FirstLba, row.GetProperty("start").GetInt64());
            Assert.Equal(partition.SectorCount, row.GetProperty("size").GetInt64());
            Assert.Equal(partition.Type, Guid.Parse(row.GetProperty("type").GetString()!));
            Assert.Equal(partition.PartitionGuid, Guid.Parse(row.GetProperty("uuid").GetString()!));
            Assert.Equal(partition.Name, row.TryGetProperty("name", out var name) ? name.GetString() : "");
            Assert.Equal(Attributes(partition.Attributes), row.TryGetProperty("attrs", out var attrs) ? attrs.GetString() : "");
        }
    }

    /// <summary>The attribute string sfdisk prints: named bits 0-2, then <c>GUID:n,m</c> for bits 48-63.</summary>
    private static string Attributes(GptAttributes attributes)
    {
        var words = new List<string>();
        if (attributes.HasFlag(GptAttributes.RequiredPartition))
        {
            words.Add("RequiredPartition");
        }

        if (attributes.HasFlag(GptAttributes.NoBlockIoProtocol))
        {
            words.Add("NoBlockIOProtocol");
        }

        if (attributes.HasFlag(GptAttributes.LegacyBiosBootable))
        {
            words.Add("LegacyBIOSBootable");
        }

        var bits = Enumerable.Range(48, 16).Where(b => ((ulong)attributes & (1UL << b)) != 0).ToList();
        if (bits.Count > 0)
        {
            words.Add("GUID:" + string.Join(',', bits));
        }

        return string.Join(' ', words);
    }
}
