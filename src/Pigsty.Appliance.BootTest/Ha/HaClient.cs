using System.Globalization;
using System.Net;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Network;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.BootTest.Ha;

/// <summary>The harness's side of <c>ha-load</c>: runs this same program inside the test network and reads the JSON it prints.</summary>
internal sealed class HaClient(IProcessRunner runner, TestNetwork network, string password)
{
    /// <summary>One write (and read back) through <paramref name="host"/>:<paramref name="port"/>.</summary>
    public Task<HaLoadResult> WriteAsync(IPAddress host, int port, string marker, CancellationToken cancellationToken) =>
        OnceAsync(["write", "--host", host.ToString(), "--port", I(port), "--marker", marker], cancellationToken);

    /// <summary>The rows marked <paramref name="marker"/> that <paramref name="host"/>:<paramref name="port"/> serves.</summary>
    public Task<HaLoadResult> ReadAsync(IPAddress host, int port, string marker, CancellationToken cancellationToken) =>
        OnceAsync(["read", "--host", host.ToString(), "--port", I(port), "--marker", marker], cancellationToken);

    /// <summary>The ids of load <paramref name="run"/> that <paramref name="host"/>:<paramref name="port"/> has.</summary>
    public async Task<IReadOnlySet<long>> PresentAsync(IPAddress host, int port, string run, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Spec(["present", "--host", host.ToString(), "--port", I(port), "--run", run]) with { Timeout = TimeSpan.FromSeconds(60) }, cancellationToken);
        using var document = JsonDocument.Parse(result.StandardOutput.Trim().Split('\n')[^1]);
        return document.RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt64()).ToHashSet();
    }

    /// <summary>Starts the steady write load through <paramref name="host"/>:<paramref name="port"/>, bounded by <paramref name="maxCommits"/> and <paramref name="maxDuration"/>.</summary>
    public WriteLoad StartLoad(IPAddress host, int port, string run, int maxCommits, TimeSpan maxDuration, CancellationToken cancellationToken)
    {
        var load = new WriteLoad(cancellationToken);
        var spec = Spec(["load", "--host", host.ToString(), "--port", I(port), "--run", run, "--max-commits", I(maxCommits),
            "--max-seconds", I((int)maxDuration.TotalSeconds)]) with
        {
            OnOutputLine = load.OnLine,
            ThrowOnNonZeroExit = false,
            // Its own bounds end it; this one only guards against a helper that hangs.
            Timeout = maxDuration + TimeSpan.FromSeconds(60),
            KillGrace = TimeSpan.FromSeconds(10),
        };
        load.Start(token => runner.RunAsync(spec, token));
        return load;
    }

    private async Task<HaLoadResult> OnceAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(Spec(arguments) with { Timeout = TimeSpan.FromSeconds(60), ThrowOnNonZeroExit = false }, cancellationToken);
        var last = result.StandardOutput.Trim().Split('\n')[^1];
        try
        {
            return JsonSerializer.Deserialize<HaLoadResult>(last) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            return new HaLoadResult(false, 0, $"ha-load {arguments[0]} exited with code {result.ExitCode}: {result.StandardError.Trim()}");
        }
    }

    private ProcessSpec Spec(IReadOnlyList<string> arguments)
    {
        var self = Environment.ProcessPath ?? throw new ToolException("pigsty-boottest", -1, "", "cannot tell where this program's executable is");
        // Run as `dotnet pigsty-boottest.dll`, the program is the dll; as the published apphost, itself.
        IReadOnlyList<string> program = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? [self, Path.Combine(AppContext.BaseDirectory, "pigsty-boottest.dll")]
            : [self];
        var spec = new ProcessSpec(program[0], [.. program.Skip(1), HaLoadCommand.Name, .. arguments])
        {
            Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = password },
            Secrets = [password],
        };
        return TestNetwork.Inside(network.Name, spec);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
