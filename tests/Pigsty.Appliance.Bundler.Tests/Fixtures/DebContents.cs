using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Fixtures;

/// <summary>A built .deb as dpkg-deb reads it: its entries, its control fields and the bytes it installs.</summary>
internal static class DebContents
{
    /// <summary>Every entry of <c>dpkg-deb --contents</c> as "mode owner/group ./path", in the package's order.</summary>
    public static async Task<IReadOnlyList<string>> EntriesAsync(string deb) =>
        (await DpkgDebAsync("--contents", deb)).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => $"{p[0]} {p[1]} {p[5]}")
            .ToList();

    /// <summary>The regular files the package installs (path without the leading "./", sorted) with their bytes, as <c>dpkg-deb --extract</c> writes them.</summary>
    public static async Task<IReadOnlyList<(string Path, byte[] Content)>> FilesAsync(string deb, string scratch)
    {
        await DpkgDebAsync("--extract", deb, scratch);
        return Directory.GetFiles(scratch, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(scratch, f), File.ReadAllBytes(f)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Control fields as <c>dpkg-deb --field</c> prints them ("Name: value" lines).</summary>
    public static Task<string> FieldsAsync(string deb, params string[] names) => DpkgDebAsync(["--field", deb, .. names]);

    private static async Task<string> DpkgDebAsync(params string[] arguments) =>
        (await ProcessRunner.Silent.RunAsync(RealTool.Spec("dpkg-deb", arguments), CancellationToken.None)).StandardOutput;
}
