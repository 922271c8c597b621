namespace Pigsty.Appliance.Installer.Modules.Node;

/// <summary>Pigsty's admin user on every node (<c>node_admin_username</c>, <c>node_admin_uid</c>): passwordless sudo, SSH by key only.</summary>
/// <param name="PublicKeys"><c>node_admin_pk_list</c>: the SSH public keys that may log in as this user.</param>
public sealed record NodeAdmin(string Username, int Uid, IReadOnlyList<string> PublicKeys)
{
    /// <summary><c>node_admin_sudo</c>: nopass (no password asked, Pigsty's default) or all (sudo asks for the user's password).</summary>
    public bool SudoWithoutPassword { get; init; } = true;

    public string Home => $"/home/{Username}";

    /// <summary>/etc/sudoers.d/&lt;user&gt;.</summary>
    public string SudoersPath => $"/etc/sudoers.d/{Username}";

    public string SudoersLine => SudoWithoutPassword ? $"{Username} ALL=(ALL) NOPASSWD: ALL\n" : $"{Username} ALL=(ALL) ALL\n";

    /// <summary>Where the sudoers file is checked before it is installed: sudo skips names with a dot, so it is never read there.</summary>
    public string SudoersCandidatePath => Steps.CheckedFile.SudoersCandidate(SudoersPath);

    /// <summary>~/.ssh/authorized_keys, one key per line.</summary>
    public string AuthorizedKeys => string.Concat(PublicKeys.Select(k => k.Trim() + "\n"));
}
