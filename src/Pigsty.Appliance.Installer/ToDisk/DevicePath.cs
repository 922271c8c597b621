namespace Pigsty.Appliance.Installer.ToDisk;

/// <summary>Which kernel device a <c>/dev</c> path names, following <c>/dev/disk/by-id</c> and <c>by-path</c> links.</summary>
public static class DevicePath
{
    /// <summary>The file name of the path's final target (<c>/dev/disk/by-id/virtio-ABC</c> → <c>vda</c>), or null when it does not exist.</summary>
    public static string? DeviceName(string path)
    {
        var file = new FileInfo(path);
        var target = file.LinkTarget is null ? file : file.ResolveLinkTarget(returnFinalTarget: true);
        return target is { Exists: true } ? target.Name : null;
    }
}
