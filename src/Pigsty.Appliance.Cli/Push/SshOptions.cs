namespace Pigsty.Appliance.Cli.Push;

/// <summary>How deploy authenticates and pins hosts: one private key, one known_hosts file, and trust on first use only when asked.</summary>
/// <param name="KeyFile">The private key (OpenSSH or PEM format, without a passphrase).</param>
/// <param name="KnownHosts">The known_hosts file that pins every host's key.</param>
/// <param name="TrustNewHostKeys">Record the key of a host the file does not name yet (never replaces a pinned key).</param>
/// <param name="ConnectTimeout">How long a connection may take before the host counts as unreachable.</param>
public sealed record SshOptions(string KeyFile, KnownHosts KnownHosts, bool TrustNewHostKeys, TimeSpan ConnectTimeout);
