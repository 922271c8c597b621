using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

public sealed class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Matches_the_published_check_values(string text, uint expected) =>
        Assert.Equal(expected, Crc32.Compute(System.Text.Encoding.ASCII.GetBytes(text)));
}
