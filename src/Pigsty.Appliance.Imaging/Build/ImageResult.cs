using Pigsty.Appliance.Core.Pipelines;

namespace Pigsty.Appliance.Imaging.Build;

/// <summary>A built image: its files (raw and converted), checksums, package manifest and per-step timings.</summary>
public sealed record ImageResult(
    IReadOnlyList<string> Images,
    string Checksums,
    string PackageManifest,
    long RawAllocatedBytes,
    IReadOnlyList<StepTiming> Timings);
