using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.IO;

public sealed class ChecksumsTests
{
    [Fact]
    public void Known_vector() =>
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Checksums.Sha256("abc"u8));

    [Fact]
    public async Task File_digest_matches_sha256sum()
    {
        using var temp = new TempDirectory();
        var path = temp.File("data.bin");
        await File.WriteAllBytesAsync(path, Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray());

        var ours = await Checksums.Sha256FileAsync(path, CancellationToken.None);
        var theirs = await ProcessRunner.Silent.RunAsync(RealTool.Spec("sha256sum", path), CancellationToken.None);

        Assert.Equal(theirs.StandardOutput.Split(' ')[0], ours);
    }

    [Theory]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true)]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a", false)]
    [InlineData("za7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false)]
    public void Recognises_sha256_digests(string value, bool expected) => Assert.Equal(expected, Checksums.IsSha256(value));
}
