using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Network;

/// <summary>The host's own interfaces and their addresses (<c>ip -br addr</c> without the state column), to prove a run added nothing to them.</summary>
public static class HostInterfaces
{
    /// <summary>The check's name.</summary>
    public const string CheckName = "the host's own interfaces are untouched (no new interface, no new address)";

    /// <summary>One sorted line per interface: name and addresses.</summary>
    public static async Task<IReadOnlyList<string>> SnapshotAsync(IProcessRunner runner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var result = await runner.RunAsync(ProcessSpec.Of("ip", "-br", "addr", "show"), cancellationToken);
        return Parse(result.StandardOutput);
    }

    /// <summary><c>ip -br addr show</c> output as name-and-addresses lines (the state column changes on its own; it is left out).</summary>
    public static IReadOnlyList<string> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(f => string.Join(' ', f.Take(1).Concat(f.Skip(2).Where(a => !a.StartsWith("fe80:", StringComparison.Ordinal)))))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Compares a snapshot taken before the run with one taken while or after it ran.</summary>
    public static CheckResult Compare(IReadOnlyList<string> before, IReadOnlyList<string> after, string when)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var added = after.Except(before, StringComparer.Ordinal).ToList();
        var gone = before.Except(after, StringComparer.Ordinal).ToList();
        return new CheckResult($"{CheckName} {when}", added.Count == 0 && gone.Count == 0,
            added.Count == 0 && gone.Count == 0 ? $"{before.Count} interfaces, as before the run"
            : $"added: {string.Join("; ", added)}; changed or gone: {string.Join("; ", gone)}");
    }
}
