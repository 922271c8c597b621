using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Installer.Modules.Minio;

namespace Pigsty.Appliance.BootTest.Harness;

/// <summary>
/// MINIO as the guest has it: skipped (with the installer's reason) when the console said so, passed only when mcli in the guest
/// shows every bucket and user, and, when the seed backs up to MinIO, pgBackRest's backup.info in the bucket. Never passed for a skipped module.
/// </summary>
public static class MinioChecks
{
    /// <summary>The check that buckets and users exist.</summary>
    public const string ProvisionedCheck = "MINIO: buckets and users exist (mcli in the guest)";

    /// <summary>The check that pgBackRest's repository lives in MinIO.</summary>
    public const string BackupCheck = "pgBackRest backs up into MinIO";

    /// <summary>mcli as root with the installer's private configuration (alias <c>sss</c>).</summary>
    public const string Mcli = $"sudo mcli --config-dir {MinioSettings.McliDirectory} --no-color";

    /// <summary>Runs a shell line in the guest: whether it exited 0, and its output.</summary>
    public delegate Task<(bool Succeeded, string Output)> GuestCommand(string command, CancellationToken cancellationToken);

    /// <summary>The skip reason of <paramref name="module"/> from first boot's console lines (<c>pigsty: MINIO skipped: …</c>), or null.</summary>
    public static string? SkipReason(IEnumerable<string> console, string module)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Select(l => FirstBootConsole.SkipReasonOf(l, module)).FirstOrDefault(r => r is not null);
    }

    /// <summary>True when first boot started the module (<c>pigsty: MINIO started</c>).</summary>
    public static bool Started(IEnumerable<string> console) =>
        console.Any(l => FirstBootMilestone.Of(l) == "minio");

    /// <summary>The MINIO checks of a finished install.</summary>
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(IReadOnlyList<string> console, MinioExpectation expected, GuestCommand guest,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(guest);
        if (SkipReason(console, "MINIO") is { } reason)
        {
            var why = $"MINIO skipped: {reason}";
            return expected.BackupPrefix is null ? [CheckResult.Skip(ProvisionedCheck, why)] : [CheckResult.Skip(ProvisionedCheck, why), CheckResult.Skip(BackupCheck, why)];
        }

        if (!Started(console))
        {
            return [new CheckResult(ProvisionedCheck, false, "the console shows neither 'MINIO started' nor 'MINIO skipped'")];
        }

        var results = new List<CheckResult> { await ProvisionedAsync(expected, guest, cancellationToken) };
        if (expected.BackupPrefix is { } prefix)
        {
            var (ok, output) = await guest($"{Mcli} ls --recursive sss/{prefix}", cancellationToken);
            var found = ok && output.Contains("backup.info", StringComparison.Ordinal);
            results.Add(new CheckResult(BackupCheck, found, found ? $"sss/{prefix} holds backup.info" : $"no backup.info under sss/{prefix}: {Squash(output)}"));
        }

        return results;
    }

    private static async Task<CheckResult> ProvisionedAsync(MinioExpectation expected, GuestCommand guest, CancellationToken cancellationToken)
    {
        var (listed, listing) = await guest($"{Mcli} ls sss", cancellationToken);
        var problems = expected.Buckets.Where(b => !listed || !listing.Contains($" {b}/", StringComparison.Ordinal)).Select(b => $"bucket {b} missing").ToList();
        foreach (var (user, policy) in expected.Users)
        {
            var (ok, info) = await guest($"{Mcli} admin user info sss {user}", cancellationToken);
            if (!ok || !info.Contains(policy, StringComparison.Ordinal))
            {
                problems.Add($"user {user} without policy {policy}: {Squash(info)}");
            }
        }

        return problems.Count == 0
            ? new CheckResult(ProvisionedCheck, true, $"buckets {string.Join(", ", expected.Buckets)}; users {string.Join(", ", expected.Users.Select(u => $"{u.AccessKey} ({u.Policy})"))}")
            : new CheckResult(ProvisionedCheck, false, string.Join("; ", problems));
    }

    private static string Squash(string text) => CheckRetry.Squash(text, 300);
}
