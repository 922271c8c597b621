namespace Pigsty.Appliance.Installer.Machine;

/// <summary>Mode and ownership of a file or directory a step writes.</summary>
public sealed record FileSpec(UnixFileMode Mode, string Owner = "root", string Group = "root")
{
    /// <summary>0644 root:root: ordinary config.</summary>
    public static FileSpec Config { get; } = new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>0600 root:root: secrets.</summary>
    public static FileSpec Secret { get; } = new(UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>0755 root:root: directories and scripts.</summary>
    public static FileSpec Directory { get; } = new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

    /// <summary>0640 owned by root and readable by a service's group.</summary>
    public static FileSpec ReadableBy(string group) =>
        new(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "root", group);

    /// <summary>This spec with another owner and group.</summary>
    public FileSpec OwnedBy(string owner, string? group = null) => this with { Owner = owner, Group = group ?? owner };
}
