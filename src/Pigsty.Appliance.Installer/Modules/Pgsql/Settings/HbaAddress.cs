using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

/// <summary>Pigsty's hba vocabulary: address aliases and auth aliases.</summary>
public static partial class HbaAddress
{
    /// <summary>The private ranges Pigsty calls <c>intra</c>.</summary>
    public static readonly IReadOnlyList<string> Intranet = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

    /// <summary>Auth aliases and the method each becomes (pwd/ssl follow <c>pg_pwd_enc</c>, scram-sha-256 here).</summary>
    public static readonly IReadOnlyDictionary<string, string> Methods = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["deny"] = "reject",
        ["reject"] = "reject",
        ["pwd"] = "scram-sha-256",
        ["ssl"] = "scram-sha-256",
        ["sha"] = "scram-sha-256",
        ["scram-sha-256"] = "scram-sha-256",
        ["md5"] = "md5",
        ["cert"] = "cert",
        ["os"] = "ident",
        ["ident"] = "ident",
        ["peer"] = "peer",
        ["trust"] = "trust",
    };

    /// <summary>True for an alias or an IPv4 address with an optional prefix length.</summary>
    public static bool IsValid(string addr) =>
        addr is "local" or "localhost" or "admin" or "infra" or "cluster" or "intra" or "intranet" or "world" or "all" || Cidr().IsMatch(addr);

    [GeneratedRegex(@"^(\d{1,3}\.){3}\d{1,3}(/([0-9]|[12][0-9]|3[0-2]))?$")]
    private static partial Regex Cidr();
}
