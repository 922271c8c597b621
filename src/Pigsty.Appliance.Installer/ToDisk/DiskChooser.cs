using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>
/// Chooses the disk to write the image onto, or refuses with every disk and why it was left out: it never guesses between
/// several, never takes the installer's own media, and erases partitions only when the seed says so.
/// </summary>
public static class DiskChooser
{
    /// <summary>Why a disk the caller keeps out is left out: the installer's boot medium.</summary>
    public const string BootMedium = "the medium the installer booted from";

    /// <summary>Why a disk the caller keeps out is left out: the seed volume's disk.</summary>
    public const string SeedVolume = "the disk holding the seed volume";

    /// <summary>
    /// The one disk left when the installer's own media (<paramref name="excluded"/>: name → why), read-only disks, disks smaller
    /// than the image, and disks the rule does not match (without a rule: removable ones) are left out.
    /// </summary>
    /// <param name="source">The seed file, named by every error.</param>
    /// <param name="deviceName">Which device a path leads to; the real <c>/dev</c> unless a test says otherwise.</param>
    /// <exception cref="InputException">No disk, several disks, or a disk holding data without <c>install_wipe: true</c>.</exception>
    public static DiskChoice Choose(
        IReadOnlyList<BlockDisk> disks,
        DiskRule? rule,
        IReadOnlyDictionary<string, string> excluded,
        long imageBytes,
        bool wipe,
        string source,
        Func<string, string?>? deviceName = null)
    {
        ArgumentNullException.ThrowIfNull(disks);
        ArgumentNullException.ThrowIfNull(excluded);
        deviceName ??= DevicePath.DeviceName;

        List<BlockDisk> candidates = [];
        List<string> notes = [];
        List<string> named = [];
        foreach (var disk in disks)
        {
            var matches = rule?.Matches(disk, deviceName) ?? true;
            var why = excluded.TryGetValue(disk.Name, out var reason) ? reason
                : !matches ? $"does not match {DiskRule.Key} ({rule!.Describe()})"
                : disk.ReadOnly ? "read-only"
                : disk.SizeBytes < imageBytes ? TooSmall(disk.SizeBytes, imageBytes)
                : rule is null && disk.Removable ? "removable"
                : null;
            if (why is null)
            {
                candidates.Add(disk);
                continue;
            }

            notes.Add($"{disk.Describe()}: {why}");
            if (rule is not null && matches)
            {
                named.Add($"{DiskRule.Key} names {disk.Name}, {why}");
            }
        }

        if (candidates.Count == 0)
        {
            throw new InputException(source, NoDisk(disks, rule, named, notes, deviceName));
        }

        if (candidates.Count > 1)
        {
            var matching = rule is null ? "" : $" match {DiskRule.Key} ({rule.Describe()})";
            throw new InputException(source, $"several candidate disks{matching}: {string.Join("; ", candidates.Select(d => d.Describe()))}. "
                + $"The installer does not guess: choose one with {DiskRule.Key} in the seed, a path (/dev/vda, /dev/disk/by-id/…, /dev/disk/by-path/…) "
                + "or a mapping of serial, min_size and max_size");
        }

        var chosen = candidates[0];
        return chosen.HoldsData && !wipe
            ? throw new InputException(source, $"{chosen.Describe()} holds {Contents(chosen)}: it is only erased when the seed says install_wipe: true")
            : new DiskChoice(chosen, notes);
    }

    private static string NoDisk(IReadOnlyList<BlockDisk> disks, DiskRule? rule, List<string> named, List<string> notes, Func<string, string?> deviceName)
    {
        if (disks.Count == 0)
        {
            return "no disk to install on: the machine shows none (loop, RAM, optical, device-mapper and RAID devices do not count)";
        }

        var list = string.Concat(notes.Select(n => $"\n  {n}"));
        if (rule is null)
        {
            var hint = disks.Any(d => d.Removable) ? $"\na removable disk is only installed on when {DiskRule.Key} names it" : "";
            return $"no disk to install on:{list}{hint}";
        }

        if (named.Count > 0)
        {
            return $"no disk to install on: {string.Join("; ", named)}:{list}";
        }

        var device = rule.Path is null ? null : deviceName(rule.Path);
        var head = rule.Path is not null && device is null ? $"{DiskRule.Key}'s path {rule.Path} does not exist"
            : device is not null && disks.All(d => d.Name != device) ? $"{DiskRule.Key}'s path {rule.Path} leads to {device}, which is not a whole disk"
            : $"no disk matches {DiskRule.Key} ({rule.Describe()})";
        return $"no disk to install on: {head}:{list}";
    }

    /// <summary>Both sizes, in bytes when the rounded forms would read the same.</summary>
    private static string TooSmall(long size, long image)
    {
        var (have, need) = (DiskSize.Format(size), DiskSize.Format(image));
        return have == need
            ? $"{size} bytes, smaller than the image's {image} bytes"
            : $"{have}, smaller than the image's {need}";
    }

    private static string Contents(BlockDisk disk)
    {
        List<string> parts = [];
        if (disk.Partitions.Count > 0)
        {
            parts.Add($"partitions {string.Join(", ", disk.Partitions)}");
        }

        if (disk.Signature is not null)
        {
            parts.Add($"a '{disk.Signature}' signature");
        }

        return string.Join(" and ", parts);
    }
}
