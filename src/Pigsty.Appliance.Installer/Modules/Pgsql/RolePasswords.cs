using System.Text.Json;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Engine;
using Pigsty.Appliance.Installer.Modules.Pgsql.Renderers;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// What the roles script sends as each role's password: a SCRAM-SHA-256 verifier computed here, never the password. A verifier
/// the server already holds for the same password is sent again unchanged, so an unchanged password never changes the script.
/// </summary>
public static class RolePasswords
{
    /// <summary>Verifiers by role name, for every role that has a password (given, seed-given or generated).</summary>
    /// <param name="stored">The roles' current <c>pg_authid.rolpassword</c>, by role name (missing or null: none).</param>
    public static IReadOnlyDictionary<string, string> Verifiers(PgsqlSettings settings, PgSecrets secrets, IReadOnlyDictionary<string, string?> stored)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentNullException.ThrowIfNull(stored);
        var verifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (user, password) in Passwords(settings, secrets))
        {
            var current = stored.GetValueOrDefault(user.Name);
            verifiers[user.Name] = ScramVerifier.IsVerifier(password) ? password
                : !ScramVerifier.CanHash(password) ? throw new InstallException("pgsql.roles",
                    $"the password of {user.Name}{(user.PasswordSecret is { } name ? $" ({name})" : "")} is not plain ASCII: PostgreSQL would "
                    + "normalise it (SASLprep) before hashing, which we do not reproduce; give it as a SCRAM-SHA-256 verifier instead")
                : ScramVerifier.Matches(current, password) ? current!
                : ScramVerifier.Create(password);
        }

        return verifiers;
    }

    /// <summary>Reads the roles' stored verifiers from the primary, then computes the verifiers to send.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> VerifiersAsync(StepContext context, PgsqlSettings settings, PgSecrets secrets,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(settings);
        var names = Passwords(settings, secrets).Select(p => SqlRenderer.Literal(p.User.Name)).ToList();
        if (names.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var query = "\\pset tuples_only on\n\\pset format unaligned\n"
            + $"SELECT coalesce(json_object_agg(rolname, rolpassword), '{{}}') FROM pg_authid WHERE rolname IN ({string.Join(", ", names)});\n";
        var result = await context.Machine.Processes.RunAsync(PgsqlCommands.Psql(settings, query, []), cancellationToken);
        Dictionary<string, string?> stored;
        try
        {
            stored = JsonSerializer.Deserialize<Dictionary<string, string?>>(result.StandardOutput.Trim()) ?? [];
        }
        catch (JsonException e)
        {
            throw new InstallException("pgsql.roles", $"psql printed something other than the roles' stored passwords as JSON: {e.Message}");
        }

        return Verifiers(settings, secrets, stored);
    }

    /// <summary>Every role with a password: its own from <c>pg_users</c>, else the secret it names.</summary>
    private static IEnumerable<(PgUser User, string Password)> Passwords(PgsqlSettings settings, PgSecrets secrets) =>
        settings.Users.Select(u => (User: u, Password: u.Password ?? (u.PasswordSecret is { } name ? secrets.Of(name) : null)))
            .Where(p => p.Password is not null)
            .Select(p => (p.User, p.Password!));
}
