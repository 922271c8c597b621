using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Pigsty.Appliance.Installer.Modules.Pgsql;

/// <summary>
/// SCRAM-SHA-256 verifiers as PostgreSQL stores them in <c>pg_authid.rolpassword</c> (RFC 5802/7677):
/// <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c>. Computed here, so that a password never
/// reaches the server (where pg_stat_statements, the logs and pg_stat_activity would show it), only its verifier.
/// </summary>
public static partial class ScramVerifier
{
    /// <summary>PostgreSQL's default <c>scram_iterations</c> (fixed at 4096 in PostgreSQL 15).</summary>
    public const int Iterations = 4096;

    /// <summary>Salt length PostgreSQL uses (<c>SCRAM_DEFAULT_SALT_LEN</c>).</summary>
    public const int SaltLength = 16;

    /// <summary>A verifier for <paramref name="password"/> with a fresh random salt.</summary>
    public static string Create(string password) => Create(password, RandomNumberGenerator.GetBytes(SaltLength), Iterations);

    /// <summary>The verifier for <paramref name="password"/> with this salt and iteration count (what the server would compute).</summary>
    public static string Create(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var (storedKey, serverKey) = Keys(password, salt, iterations);
        return string.Create(CultureInfo.InvariantCulture,
            $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}");
    }

    /// <summary>True when <paramref name="verifier"/> is a SCRAM-SHA-256 verifier of <paramref name="password"/> (recomputed with its own salt and iterations).</summary>
    public static bool Matches(string? verifier, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (verifier is null || !CanHash(password) || Parse(verifier) is not var (iterations, salt, storedKey, serverKey))
        {
            return false;
        }

        var (stored, server) = Keys(password, salt, iterations);
        return CryptographicOperations.FixedTimeEquals(stored, storedKey) && CryptographicOperations.FixedTimeEquals(server, serverKey);
    }

    /// <summary>
    /// True when <paramref name="text"/> is already a verifier PostgreSQL takes as given (SCRAM-SHA-256, or MD5 as
    /// <c>md5</c> + 32 hex digits), as its <c>get_password_type</c> decides; such a value is sent unchanged.
    /// </summary>
    public static bool IsVerifier(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Parse(text) is not null || Md5Verifier().IsMatch(text);
    }

    /// <summary>
    /// True when we hash the password exactly as PostgreSQL would: its SASLprep leaves pure ASCII unchanged, while other text
    /// goes through Unicode normalisation and tables we do not reproduce, so such a password must be given as a verifier.
    /// </summary>
    public static bool CanHash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return password.Length > 0 && Ascii.IsValid(password) && !password.Contains('\0', StringComparison.Ordinal);
    }

    private static (byte[] StoredKey, byte[] ServerKey) Keys(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        if (!CanHash(password))
        {
            throw new ArgumentException("only non-empty ASCII passwords are hashed here (PostgreSQL's SASLprep changes other text)", nameof(password));
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.ASCII.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        return (SHA256.HashData(clientKey), HMACSHA256.HashData(salted, "Server Key"u8));
    }

    private static (int Iterations, byte[] Salt, byte[] StoredKey, byte[] ServerKey)? Parse(string verifier)
    {
        var match = ScramSecret().Match(verifier);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return null;
        }

        try
        {
            var salt = Convert.FromBase64String(match.Groups[2].Value);
            var storedKey = Convert.FromBase64String(match.Groups[3].Value);
            var serverKey = Convert.FromBase64String(match.Groups[4].Value);
            return storedKey.Length == 32 && serverKey.Length == 32 && salt.Length > 0 ? (iterations, salt, storedKey, serverKey) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^SCRAM-SHA-256\$([0-9]+):([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)\z")]
    private static partial Regex ScramSecret();

    [GeneratedRegex(@"^md5[0-9a-f]{32}\z")]
    private static partial Regex Md5Verifier();
}
