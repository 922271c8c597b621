using Pigsty.Appliance.Imaging.Gpt;

namespace Pigsty.Appliance.Imaging.Tests.Gpt;

public sealed class GuidSourceTests
{
    [Fact]
    public void Seeded_guids_are_stable_per_seed_and_purpose()
    {
        var a = GuidSource.FromSeed("pigsty-1");
        var b = GuidSource.FromSeed("pigsty-1");

        Assert.Equal(a.Next("disk"), b.Next("disk"));
        Assert.NotEqual(a.Next("disk"), a.Next("partition:root"));
        Assert.NotEqual(a.Next("disk"), GuidSource.FromSeed("pigsty-2").Next("disk"));
        Assert.Equal(a.NextVolumeId("esp"), b.NextVolumeId("esp"));
    }

    [Fact]
    public void Seeded_guids_are_rfc9562_version_8()
    {
        var text = GuidSource.FromSeed("x").Next("disk").ToString();

        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }

    [Fact]
    public void Random_guids_differ()
    {
        Assert.False(GuidSource.Random.IsDeterministic);
        Assert.NotEqual(GuidSource.Random.Next("disk"), GuidSource.Random.Next("disk"));
    }
}
