using Pigsty.Appliance.Installer.Machine;
using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Our rendered units checked by systemd-analyze verify, which also needs every program they run to exist.</summary>
internal static class UnitCheck
{
    private static readonly string[] Commands = ["ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost"];

    /// <summary>Units whose programs come from Debian packages: checked on this host, whose packages must provide them.</summary>
    public static async Task VerifyAsync(TempDirectory temp, params SystemdUnit[] units)
    {
        // A program missing here would only show as systemd's "is not executable": name its package instead.
        foreach (var program in Programs(units))
        {
            RealTool.Require(program);
        }

        var paths = units.Select(u => temp.Write(u.Name, u.Render())).ToArray();
        var result = await RealTool.CheckAsync("systemd-analyze", ["verify", "--man=no", .. paths]);

        Assert.Equal("", result.StandardError);
    }

    /// <summary>
    /// Units whose programs a node gets from us rather than from Debian (our own CLI, a rendered script, a wrapped release binary):
    /// checked in a root of their own (--root) holding this host's systemd units, the units and <paramref name="programs"/>
    /// (node path → the file there); every program the units run must be one of them.
    /// </summary>
    public static async Task VerifyInRootAsync(TempDirectory temp, IReadOnlyDictionary<string, string> programs, params SystemdUnit[] units)
    {
        ArgumentNullException.ThrowIfNull(programs);
        var root = temp.File("systemd-root");
        var system = Path.Join(root, "/usr/lib/systemd");
        Directory.CreateDirectory(system);
        await RealTool.CheckAsync("cp", "-a", "/usr/lib/systemd/system", system);
        foreach (var program in Programs(units))
        {
            Assert.True(programs.TryGetValue(program, out var content), $"{program} is neither given to the check nor from a package: check its unit with VerifyAsync");
            var path = Path.Join(root, program);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content);
            File.SetUnixFileMode(path, FileSpec.Directory.Mode);
        }

        var paths = units.Select(u => Path.Join(root, u.Path)).ToArray();
        foreach (var (unit, path) in units.Zip(paths))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, unit.Render());
        }

        var result = await RealTool.CheckAsync("systemd-analyze", ["verify", "--man=no", $"--root={root}", .. paths]);

        Assert.Equal("", result.StandardError);
    }

    private static IEnumerable<string> Programs(IEnumerable<SystemdUnit> units) =>
        units.SelectMany(u => u.Body)
            .Where(l => Commands.Contains(l.Key, StringComparer.Ordinal))
            .Select(l => l.Value.TrimStart('!', '-', '@', '+', ':').Split(' ', '\n')[0])
            .Distinct(StringComparer.Ordinal);
}
