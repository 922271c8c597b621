namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>Runs a check again until it passes or its wait ends: services come up in their own time after boot, failover or reboot.</summary>
public static class CheckRetry
{
    /// <summary>The first passing result, or the last one once <paramref name="wait"/> has passed; tries every <paramref name="interval"/>.</summary>
    public static async Task<CheckResult> UntilPassedAsync(Func<Task<CheckResult>> check, TimeSpan wait, TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(check);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var result = await check();
            if (result.Passed || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>Command output in one line for a check's detail: lines joined with " | ", cut at <paramref name="max"/> characters.</summary>
    public static string Squash(string text, int max = 400)
    {
        ArgumentNullException.ThrowIfNull(text);
        var joined = string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return joined.Length <= max ? joined : joined[..max] + "…";
    }
}
