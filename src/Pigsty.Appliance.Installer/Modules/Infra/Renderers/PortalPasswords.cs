using System.Text;
using Pigsty.Appliance.Installer.Shared;

namespace Pigsty.Appliance.Installer.Modules.Infra.Renderers;

/// <summary>nginx's <c>auth_basic_user_file</c> for the portal: one <c>user:$6$…</c> line per login, SHA-512-crypt hashed.</summary>
public static class PortalPasswords
{
    public const string Path = "/etc/nginx/pigsty.htpasswd";

    /// <summary>
    /// The file for <paramref name="users"/> (name, password). A line of <paramref name="current"/> whose hash still matches its
    /// user's password is kept as it is, so an unchanged login renders the same file (a fresh salt would rewrite it every run).
    /// </summary>
    public static string Render(IReadOnlyList<(string Name, string Password)> users, string? current)
    {
        ArgumentNullException.ThrowIfNull(users);
        var existing = (current ?? "").Split('\n')
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        var text = new StringBuilder("# written by pigsty-appliance (INFRA): portal logins, from nginx_users or admin with nginx_admin_password\n");
        foreach (var (name, password) in users)
        {
            var hash = existing.TryGetValue(name, out var kept) && ShaCrypt.Verify(password, kept) ? kept : ShaCrypt.Hash(password);
            text.Append(name).Append(':').Append(hash).Append('\n');
        }

        return text.ToString();
    }
}
