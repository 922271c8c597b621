using System.Formats.Tar;
using System.IO.Compression;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Imaging.Seeds;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>Checks of a booted guest made from the host: console milestones, the repo over HTTP, the seed volume write-back.</summary>
public static class GuestChecks
{
    /// <summary>First boot reported success on the console.</summary>
    public static CheckResult InstallDone(string? result) =>
        new("first boot finished the install", result?.Contains(FirstBootConsole.Line(FirstBootConsole.DoneStart), StringComparison.Ordinal) == true, result ?? "no result before the deadline");

    /// <summary>First boot verified the on-image bundle against repo_complete before anything else.</summary>
    public static CheckResult BundleVerified(BootedGuest guest)
    {
        ArgumentNullException.ThrowIfNull(guest);
        var line = guest.Vm.Lines.FirstOrDefault(l => FirstBootMilestone.Of(l.Text) == "bundle-verified");
        return new("on-image bundle verifies against repo_complete", line is not null, line?.Text.Trim() ?? "no 'bundle verified' line on the console");
    }

    /// <summary>
    /// First boot installed no package: every package step said <c>packages: N already installed, 0 to install</c> (the image
    /// carries every module's packages). The detail sums what the steps found.
    /// </summary>
    public static CheckResult NothingInstalled(IReadOnlyList<string> console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var notes = console.Select(FirstBootConsole.MessageOf).OfType<string>()
            .Select(m => System.Text.RegularExpressions.Regex.Match(m, @"^(?<module>[A-Z]+): (?<step>[a-z.-]+): packages: (?<have>[0-9]+) already installed, (?<want>[0-9]+) to install"))
            .Where(m => m.Success)
            .Select(m => (Step: m.Groups["step"].Value, Have: int.Parse(m.Groups["have"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Want: int.Parse(m.Groups["want"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
        var installing = notes.Where(n => n.Want > 0).Select(n => $"{n.Step} installed {n.Want}").ToList();
        return new("first boot installed no package (the image carries them)", notes.Count > 0 && installing.Count == 0,
            notes.Count == 0 ? "no package step said what it found"
            : installing.Count > 0 ? string.Join(", ", installing)
            : $"{notes.Count} package steps, {notes.Sum(n => n.Have)} packages already installed, 0 installed");
    }

    /// <summary>The failure line carries the loader's precise error for the seed.</summary>
    public static CheckResult SeedErrorReported(string? result, string expected) =>
        new("invalid seed is reported precisely", result?.Contains(FirstBootConsole.Failed(expected), StringComparison.Ordinal) == true,
            $"expected '{expected}', console said: {result ?? "nothing before the deadline"}");

    /// <summary>The bundle's marker as the guest's nginx serves it, and where the tarball holds it.</summary>
    private const string Marker = RepoLayout.RootName + "/" + RepoLayout.Marker;

    /// <summary>nginx serves /pigsty/repo_complete, byte for byte the bundle's marker.</summary>
    public static async Task<CheckResult> RepoServedAsync(BootedGuest guest, HttpClient http, string bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(http);
        var url = guest.Http(80, "/" + Marker);
        try
        {
            var served = await http.GetStringAsync(url, cancellationToken);
            var expected = await BundleMarkerAsync(bundle, cancellationToken);
            return new($"nginx serves /{Marker}", served == expected,
                served == expected ? $"{served.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length} files listed, identical to the bundle's" : "differs from the bundle's marker");
        }
        catch (HttpRequestException e)
        {
            return new($"nginx serves /{Marker}", false, $"GET {url}: {e.Message}");
        }
    }

    /// <summary>The result first boot wrote back to the seed volume (waits for it: the guest writes it after the console line).</summary>
    public static async Task<CheckResult> WriteBackAsync(IProcessRunner runner, string seedImage, string expectedState, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? status;
        while ((status = await SeedVolume.ReadAsync(runner, seedImage, SeedMedia.StatusWriteBack, cancellationToken)) is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        var ok = status?.Contains($"\"state\": \"{expectedState}\"", StringComparison.Ordinal) == true;
        return new("result written back to the seed volume", ok, status is null ? $"no {SeedMedia.StatusWriteBack} on the seed volume" : $"{SeedMedia.StatusWriteBack} says state {(ok ? expectedState : "other")}");
    }

    private static async Task<string> BundleMarkerAsync(string bundle, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(bundle);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
        {
            if (entry.Name == Marker && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data);
                return await reader.ReadToEndAsync(cancellationToken);
            }
        }

        throw new InvalidDataException($"{bundle} has no {Marker}");
    }
}
