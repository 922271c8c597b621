using Pigsty.Appliance.Core.Yaml;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>An entry of <c>pg_hba_rules</c>/<c>pgb_hba_rules</c>: Pigsty's aliases (user, db, addr, auth) or raw <c>rules</c> lines.</summary>
/// <param name="Role">Which instances get the rule: default/common (all), primary, replica, offline.</param>
public sealed record HbaRule(string User, string Db, string? Addr, string Auth, string Title, string Role, IReadOnlyList<string> Raw)
{
    /// <summary>Reads one rule, checking the aliases so that a typo fails at plan time with its line.</summary>
    public static HbaRule Parse(YamlValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var map = value.AsMapping();
        var raw = Fields.Strings(map, "rules");
        var addr = Fields.String(map, "addr");
        if (raw.Count == 0 && addr is null)
        {
            throw value.Error("an hba rule needs 'addr' (with user, db, auth) or raw 'rules'");
        }

        var role = Fields.String(map, "role") ?? "default";
        if (role is not ("default" or "common" or "primary" or "replica" or "offline"))
        {
            throw map.Find("role")!.Error($"unknown hba role '{role}' (expected default, common, primary, replica or offline)");
        }

        if (addr is not null && !HbaAddress.IsValid(addr))
        {
            throw map.Find("addr")!.Error($"'{addr}' is neither an address alias (local, localhost, admin, infra, cluster, intra, world) nor an IPv4 address/CIDR");
        }

        var auth = Fields.String(map, "auth") ?? "pwd";
        if (!HbaAddress.Methods.ContainsKey(auth))
        {
            throw map.Find("auth")!.Error($"unknown auth '{auth}' (expected one of {string.Join(", ", HbaAddress.Methods.Keys)}); use raw 'rules' for others");
        }

        return new HbaRule(Fields.String(map, "user") ?? "all", Fields.String(map, "db") ?? "all", addr, auth,
            Fields.String(map, "title") ?? "", role, raw);
    }

    /// <summary>A rule with aliases, as Pigsty's defaults are written.</summary>
    public static HbaRule Of(string user, string db, string addr, string auth, string title) => new(user, db, addr, auth, title, "default", []);
}
