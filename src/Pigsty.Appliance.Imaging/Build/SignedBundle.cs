using Pigsty.Appliance.Repository.Verify;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>
/// An image carries only a signed bundle: every node checks the packages it installs (from its own disk or over plain HTTP
/// from the admin node) against the key the image brings, so nobody on the LAN can slip packages in.
/// </summary>
public static class SignedBundle
{
    /// <summary>Refuses a bundle that verified but carries no signature.</summary>
    public static void Require(VerifyReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Signed)
        {
            throw new IntegrityException(Unsigned(report.Path));
        }
    }

    /// <summary>The error for an unsigned bundle at <paramref name="path"/>.</summary>
    public static string Unsigned(string path) =>
        $"{path}: the bundle is not signed (no InRelease, no pigsty.gpg), so nodes could not check the packages they install; "
        + "rebuild it with './build.sh --target=Bundle' (bundles are signed by default with this host's key, "
        + "~/.config/pigsty-appliance/repo-signing-key.asc) or sign it with --signing-key FILE";
}
