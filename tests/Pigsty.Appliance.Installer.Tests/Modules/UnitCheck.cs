using Pigsty.Appliance.Installer.Steps;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.Modules;

/// <summary>Our rendered units checked by systemd-analyze verify, which also needs every program they run to be on this host.</summary>
internal static class UnitCheck
{
    private static readonly string[] Commands = ["ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload", "ExecStop", "ExecStopPost"];

    /// <summary>Writes the units into <paramref name="temp"/> and asserts systemd accepts them without a word.</summary>
    public static async Task VerifyAsync(TempDirectory temp, params SystemdUnit[] units)
    {
        // A program missing here would only show as systemd's "is not executable": name its package instead.
        foreach (var command in units.SelectMany(u => u.Body).Where(l => Commands.Contains(l.Key, StringComparer.Ordinal)))
        {
            RealTool.Require(command.Value.TrimStart('!', '-', '@', '+', ':').Split(' ', '\n')[0]);
        }

        var paths = units.Select(u => temp.Write(u.Name, u.Render())).ToArray();
        var result = await RealTool.CheckAsync("systemd-analyze", ["verify", "--man=no", .. paths]);

        Assert.Equal("", result.StandardError);
    }
}
