using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.Inventory;

namespace Pigsty.Appliance.Installer.Modules.Infra;

/// <summary>A login of the portal (nginx basic auth): a user of Pigsty's <c>nginx_users</c>, or the generated <c>admin</c>.</summary>
/// <param name="Password">The password as the inventory gives it; null means the generated credential <see cref="GeneratedPasswordVar"/>.</param>
public sealed partial record PortalUser(string Name, string? Password)
{
    /// <summary>The user the portal gets when the inventory names none.</summary>
    public const string DefaultName = "admin";

    /// <summary>The credential (in credentials.yml unless the seed sets it) holding <see cref="DefaultName"/>'s password.</summary>
    public const string GeneratedPasswordVar = "nginx_admin_password";

    /// <summary>
    /// Pigsty's <c>nginx_users</c> (<c>{ name: password }</c>); when it is unset or empty, <c>admin</c> with a generated password.
    /// Pigsty turns auth off for an empty map; here the portal always asks for a login, since its components have none.
    /// </summary>
    public static IReadOnlyList<PortalUser> From(VarSet vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        if (vars.Find("nginx_users") is not { } given || given.AsMapping().Entries.Count == 0)
        {
            return [new PortalUser(DefaultName, null)];
        }

        return given.AsMapping().Entries.Select(e =>
        {
            if (!NamePattern().IsMatch(e.Key))
            {
                throw e.Value.Error($"user name '{e.Key}' must be letters, digits, '.', '_' or '-' (it becomes a line of nginx's password file)");
            }

            var password = e.Value.AsString();
            return password.Length == 0 || password.Contains('\n', StringComparison.Ordinal) || password.Contains('\r', StringComparison.Ordinal)
                ? throw e.Value.Error($"the password of portal user '{e.Key}' must be non-empty and on one line")
                : new PortalUser(e.Key, password);
        }).ToList();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
