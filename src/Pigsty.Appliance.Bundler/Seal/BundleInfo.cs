using System.Globalization;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Seal;

/// <summary>What a bundle is: name, version, target OS and architecture (as in <c>pigsty-pkg-v3.6.0.d12.x86_64</c>), and when it was made.</summary>
/// <param name="Name">The file name prefix, e.g. <c>pigsty-pkg</c>.</param>
/// <param name="Version">The bundle version, e.g. <c>v3.6.0</c>.</param>
/// <param name="Os">Pigsty's short OS tag, e.g. <c>d12</c>.</param>
/// <param name="Architecture">Pigsty's architecture tag, e.g. <c>x86_64</c>.</param>
/// <param name="Created">The bundle time: Release date, manifest time and tar mtimes (whole seconds).</param>
public sealed record BundleInfo(string Name, string Version, string Os, string Architecture, DateTimeOffset Created)
{
    /// <summary>The file name without extension, e.g. <c>pigsty-pkg-v3.6.0.d12.x86_64</c>.</summary>
    public string FileStem => ArtifactNames.Stem(Name, Version, Os, Architecture);

    /// <summary>SOURCE_DATE_EPOCH when set (reproducible builds), else now; truncated to whole seconds as tar stores them.</summary>
    public static DateTimeOffset TimeFromEnvironment() => TimeFrom(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"));

    /// <summary>The bundle time for a SOURCE_DATE_EPOCH value (null or empty: now); a value that is not whole seconds is a usage error.</summary>
    public static DateTimeOffset TimeFrom(string? epoch)
    {
        if (string.IsNullOrEmpty(epoch))
        {
            return DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }

        return long.TryParse(epoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new UsageException($"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got '{epoch}'");
    }
}
