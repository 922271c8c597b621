using Pigsty.Appliance.Core.Pipelines;
using Pigsty.Appliance.Imaging.Qemu;

namespace Pigsty.Appliance.Imaging.Tests.Qemu;

/// <summary>qemu-img -p output as the runner hands it over: pieces cut anywhere, reports redrawn with carriage returns.</summary>
public sealed class QemuImgProgressTests
{
    private readonly List<double> _reported = [];

    private QemuImgProgress Parser() => new(new SyncProgress<double>(_reported.Add));

    [Fact]
    public void Reads_each_report_between_carriage_returns_and_the_last_before_the_newline()
    {
        var parser = Parser();

        parser.Feed("    (0.00/100%)\r    (1.01/100%)\r    (66.67/100%)\r    (100.00/100%)\r\n");

        Assert.Equal([0.0, 1.01, 66.67, 100.0], _reported);
    }

    [Fact]
    public void A_report_split_across_reads_is_read_once_it_is_whole()
    {
        var text = "    (12.34/100%)\r    (56.78/100%)\r    (100.00/100%)\r\n";

        // Every cut point, then one character at a time: the result never depends on where a read ended.
        for (var cut = 1; cut < text.Length; cut++)
        {
            _reported.Clear();
            var halves = Parser();
            halves.Feed(text[..cut]);
            halves.Feed(text[cut..]);
            Assert.Equal([12.34, 56.78, 100.0], _reported);
        }

        _reported.Clear();
        var parser = Parser();
        foreach (var c in text)
        {
            parser.Feed(c.ToString());
        }

        Assert.Equal([12.34, 56.78, 100.0], _reported);
    }

    [Fact]
    public void Nothing_is_reported_before_the_carriage_return_and_a_last_report_without_one_counts_at_the_end()
    {
        var parser = Parser();

        parser.Feed("    (42.");
        Assert.Empty(_reported);
        parser.Feed("00/100%)");
        Assert.Empty(_reported);
        parser.Complete();

        Assert.Equal([42.0], _reported);
    }

    [Fact]
    public void Repeats_and_steps_back_are_not_reported_and_other_text_is_ignored()
    {
        var parser = Parser();

        parser.Feed("    (10.00/100%)\r    (10.00/100%)\r    (9.00/100%)\rqemu-img: warning: something\n(20,50/100%)\r");

        Assert.Equal([10.0, 20.5], _reported);
    }
}
