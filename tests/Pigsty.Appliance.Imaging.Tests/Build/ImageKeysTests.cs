using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Build;
using Pigsty.Appliance.Imaging.Definition;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Imaging.Tests.Build;

/// <summary>Which keys the image's admin user gets, and the images that would boot to a login nobody has.</summary>
public sealed class ImageKeysTests
{
    private const string Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHBpZ3N0eSB0ZXN0IGtleSwgbm90IGZvciBsb2dpbiEh operator@site";

    private static ImageDefinition Plain => ImageDefinitionLoader.Parse(File.ReadAllText(TestData.Path("images", "plain-d12.yml")), "/x/plain-d12.yml", []);

    private static ImageDefinition Appliance => ImageDefinitionLoader.Parse(File.ReadAllText(TestData.Path("images", "appliance-d12.yml")), "/x/appliance-d12.yml",
        [.. new[] { "node", "infra", "etcd", "minio", "pgsql" }.Select(m => new ImageModule(m, _ => []))]);

    [Fact]
    public void Added_keys_join_the_definition_s_once() =>
        Assert.Equal([Key], ImageBuilder.KeysFor(Plain with { AuthorizedKeys = [Key] }, [Key]));

    [Fact]
    public void A_plain_image_without_any_key_is_refused_before_anything_is_built()
    {
        var error = Assert.Throws<InputException>(() => ImageBuilder.KeysFor(Plain, []));

        Assert.Equal("/x/plain-d12.yml: a plain image (firstboot: false) needs a key to log in with: list it in authorized_keys, or add one with --authorized-key FILE",
            error.Message);
    }

    [Fact]
    public void The_appliance_needs_no_key_but_takes_none_without_an_admin_user()
    {
        Assert.Empty(ImageBuilder.KeysFor(Appliance, []));
        Assert.Contains("names no admin_user", Assert.Throws<InputException>(() => ImageBuilder.KeysFor(Appliance, [Key])).Message, StringComparison.Ordinal);
    }
}
