using System.Text.Json;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Imaging.Qemu;

/// <summary>Converts a raw image to the formats hypervisors take, with <c>qemu-img convert</c>; the output appears only when complete.</summary>
public sealed class DiskConverter(IProcessRunner runner)
{
    /// <summary>Writes <paramref name="source"/> (raw) as <paramref name="format"/> to <paramref name="destination"/>; <paramref name="compress"/> applies to qcow2.</summary>
    public Task ConvertAsync(string source, string destination, DiskFormat format, bool compress, CancellationToken cancellationToken) =>
        ConvertAsync(source, destination, format, compress, null, cancellationToken);

    /// <summary>As the other overload, and with <paramref name="progress"/> qemu-img runs with <c>-p</c> and its percentage (0-100) is reported as it moves.</summary>
    public async Task ConvertAsync(string source, string destination, DiskFormat format, bool compress, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        if (!File.Exists(source))
        {
            throw new InputException(source, "the disk image to convert does not exist");
        }

        var (name, options) = format switch
        {
            DiskFormat.Raw => ("raw", null),
            DiskFormat.Qcow2 => ("qcow2", "compat=1.1"),
            DiskFormat.Vmdk => ("vmdk", "subformat=monolithicSparse"),
            DiskFormat.Vhdx => ("vhdx", "subformat=dynamic"),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown disk format"),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(destination))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        List<string> arguments = ["convert", "-f", "raw", "-O", name];
        if (options is not null)
        {
            arguments.AddRange(["-o", options]);
        }

        if (compress && format == DiskFormat.Qcow2)
        {
            arguments.Add("-c");
        }

        var percent = progress is null ? null : new QemuImgProgress(progress);
        if (percent is not null)
        {
            arguments.Add("-p");
        }

        arguments.AddRange([source, temp]);
        try
        {
            await runner.RunAsync(new ProcessSpec("qemu-img", arguments) { Timeout = TimeSpan.FromHours(1), OnOutputText = percent is null ? null : percent.Feed }, cancellationToken);
            percent?.Complete();
            File.Move(temp, destination, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads an image's format and sizes with <c>qemu-img info</c>.</summary>
    public async Task<DiskImageInfo> InspectAsync(string path, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(ProcessSpec.Of("qemu-img", "info", "--output=json", path), cancellationToken);
        try
        {
            using var json = JsonDocument.Parse(result.StandardOutput);
            var root = json.RootElement;
            return new DiskImageInfo(root.GetProperty("format").GetString()!, root.GetProperty("virtual-size").GetInt64(),
                root.TryGetProperty("actual-size", out var actual) ? actual.GetInt64() : 0);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new ToolException("qemu-img", 0, "", $"qemu-img info printed something that is not its JSON for '{path}': {e.Message}");
        }
    }
}
