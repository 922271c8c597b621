using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>No secret of the booted appliance (generated or seed-given) readable where pg_monitor members or log readers look.</summary>
internal static class SecretLeaks
{
    /// <summary>The check over <c>pg_stat_statements</c>.</summary>
    public const string StatementsCheck = "no password in pg_stat_statements";

    /// <summary>The check over PostgreSQL's log files and Patroni's journal.</summary>
    public const string LogsCheck = "no password in the PostgreSQL logs or Patroni's journal";

    /// <summary>Where the logs are read: PostgreSQL's log_directory and Patroni's journal (Patroni logs to stderr).</summary>
    public const string LogsCommand = "sudo sh -c 'cat /pg/log/postgres/* 2>/dev/null; journalctl -u patroni --no-pager -q -o cat'";

    /// <summary>Secrets by name: every generated one (credentials.yml) and every one the seed gives (named by its path in the seed).</summary>
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, string> generated, string seedText, string seedPath)
    {
        ArgumentNullException.ThrowIfNull(generated);
        var secrets = new Dictionary<string, string>(generated, StringComparer.Ordinal);
        foreach (var given in InventorySecrets.In(InventoryLoader.Parse(seedText, seedPath)))
        {
            secrets.TryAdd($"{Path.GetFileName(seedPath)}: {given.Path}", given.Text);
        }

        return secrets;
    }

    /// <summary>Passes when no secret occurs in <paramref name="text"/>; the detail names leaked secrets, never their values.</summary>
    public static CheckResult Judge(string name, string where, string text, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(secrets);
        var leaked = secrets.Where(s => s.Value.Length > 0 && text.Contains(s.Value, StringComparison.Ordinal)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
        return leaked.Count == 0
            ? new CheckResult(name, secrets.Count > 0, secrets.Count > 0 ? $"none of {secrets.Count} secrets in {where} ({text.Length} characters)" : "no secrets known to look for")
            : new CheckResult(name, false, $"{where} shows {string.Join(", ", leaked)}");
    }
}
