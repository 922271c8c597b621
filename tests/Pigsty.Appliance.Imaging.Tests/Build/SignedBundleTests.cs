using Pigsty.Appliance.Repository.Verify;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Imaging.Build;

namespace Pigsty.Appliance.Imaging.Tests.Build;

/// <summary>An image takes only a signed bundle.</summary>
public sealed class SignedBundleTests
{
    [Fact]
    public void An_unsigned_bundle_is_refused_with_an_integrity_error_saying_how_to_sign_it()
    {
        var unsigned = new VerifyReport("dist/pigsty-pkg.tgz", "tgz", 7, 2, 1024, Signed: false, SidecarChecked: true, TimeSpan.Zero);

        var error = Assert.Throws<IntegrityException>(() => SignedBundle.Require(unsigned));

        Assert.Equal(5, (int)error.ExitCode);
        Assert.StartsWith("dist/pigsty-pkg.tgz: the bundle is not signed (no InRelease, no pigsty.gpg)", error.Message, StringComparison.Ordinal);
        Assert.Contains("--signing-key", error.Message, StringComparison.Ordinal);
        SignedBundle.Require(unsigned with { Signed = true });
    }
}
