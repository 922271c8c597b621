using System.Text;
using Pigsty.Appliance.Bundler.Versions;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Versions;

/// <summary>Our order against <c>dpkg --compare-versions</c> on every version installed on this host plus awkward ones.</summary>
public sealed class DpkgAgreementTests
{
    private static readonly string[] Awkward =
    [
        "1.0~rc1", "1.0~rc1~", "1.0~~", "1.0", "1.0-0", "1.0.0", "1.0a", "1.0+", "1.0.", "1.0+b1", "1:0", "0:1.0", "2:0~",
        "1.2.3-1", "1.2.3-1.1", "1.2.3-1+b1", "1.2.3-1~bpo12+1", "0.0001", "00.1", "1.0a0", "1.0A", "1.0Z", "1.0z",
        "2.1.12-stable-8", "2.1.12-stable-10", "9.18.33-1~deb12u2", "1:9.18.33-1", "10", "9.99", "1.0-1-1", "1.0-1-2",
    ];

    [Fact]
    public async Task Agrees_with_dpkg_on_real_versions()
    {
        using var temp = new TempDirectory();
        var installed = await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-query", "-W", "-f", "${Version}\\n"), CancellationToken.None);
        var texts = installed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Awkward).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(texts.Count > 300, $"expected a few hundred installed versions, got {texts.Count}");
        var versions = texts.Select(DebianVersion.Parse).ToList();

        // Neighbours in our order are the pairs most likely to expose a wrong rule; random pairs cover the rest.
        var sorted = versions.Order().ToList();
        var pairs = sorted.Zip(sorted.Skip(1)).ToList();
        var random = new Random(20261122);
        pairs.AddRange(Enumerable.Range(0, 1200).Select(_ => (versions[random.Next(versions.Count)], versions[random.Next(versions.Count)])));

        var failures = (await Task.WhenAll(pairs.Chunk(pairs.Count / 2 + 1).Select((batch, i) => CheckWithDpkgAsync(batch, temp.File($"batch{i}")))))
            .SelectMany(f => f).ToList();

        Assert.True(pairs.Count > 1500, $"only {pairs.Count} pairs");
        Assert.True(failures.Count == 0, "dpkg disagrees: " + string.Join("; ", failures.Take(20)));
    }

    /// <summary>One shell per batch: each line asks dpkg whether our verdict (lt/eq/gt) holds, and reports it when it does not.</summary>
    private static async Task<IReadOnlyList<string>> CheckWithDpkgAsync((DebianVersion Left, DebianVersion Right)[] batch, string file)
    {
        var input = new StringBuilder();
        foreach (var (left, right) in batch)
        {
            var op = Math.Sign(left.CompareTo(right)) switch { < 0 => "lt", 0 => "eq", _ => "gt" };
            input.Append(left).Append(' ').Append(op).Append(' ').Append(right).Append('\n');
        }

        await File.WriteAllTextAsync(file, input.ToString());
        var script = "while read -r a op b; do dpkg --compare-versions \"$a\" \"$op\" \"$b\" || echo \"$a $op $b\"; done < \"$1\"";
        var result = await ProcessRunner.Silent.RunAsync(RealTool.Spec("bash", "-c", script, "check", file), CancellationToken.None);
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
