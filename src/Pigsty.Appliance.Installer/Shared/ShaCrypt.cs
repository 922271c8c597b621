using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pigsty.Appliance.Installer.Shared;

/// <summary>
/// SHA-512-crypt (<c>$6$</c>, Drepper's "Unix crypt using SHA-256 and SHA-512"): the password hash glibc's and libxcrypt's
/// crypt(3) accept, which is how Debian's nginx checks <c>auth_basic_user_file</c>. Computed here so no helper tool sees the
/// password on its command line.
/// </summary>
public static class ShaCrypt
{
    /// <summary>The rounds crypt(3) uses when a hash names none; nginx hashes on every request, so more would slow every page.</summary>
    public const int DefaultRounds = 5000;

    private const string Prefix = "$6$";
    private const string RoundsPrefix = "rounds=";
    private const int MaxSaltLength = 16;
    private const string Alphabet = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>The byte order of the final encoding: triples of digest positions, each becoming four characters.</summary>
    private static readonly int[] Order =
    [
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51, 31, 52, 10,
        53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41,
    ];

    /// <summary>Hashes <paramref name="password"/> with a fresh random 16-character salt.</summary>
    public static string Hash(string password) =>
        Hash(password, new string(RandomNumberGenerator.GetItems<char>(Alphabet, MaxSaltLength)));

    /// <summary>Hashes <paramref name="password"/> with <paramref name="salt"/> (at most 16 characters are used, as crypt(3) does).</summary>
    public static string Hash(string password, string salt, int rounds = DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        if (rounds is < 1000 or > 999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "crypt(3) takes 1000 to 999999999 rounds");
        }

        if (salt.Contains('$', StringComparison.Ordinal) || salt.Contains(':', StringComparison.Ordinal) || salt.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a salt must not contain '$', ':' or a newline", nameof(salt));
        }

        var saltText = salt.Length > MaxSaltLength ? salt[..MaxSaltLength] : salt;
        var digest = Digest(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(saltText), rounds);
        var text = new StringBuilder(Prefix);
        if (rounds != DefaultRounds)
        {
            text.Append(RoundsPrefix).Append(rounds.ToString(CultureInfo.InvariantCulture)).Append('$');
        }

        text.Append(saltText).Append('$');
        for (var i = 0; i < Order.Length; i += 3)
        {
            Encode(text, (digest[Order[i]] << 16) | (digest[Order[i + 1]] << 8) | digest[Order[i + 2]], 4);
        }

        Encode(text, digest[63], 2);
        return text.ToString();
    }

    /// <summary>True when <paramref name="hash"/> is a <c>$6$</c> hash of <paramref name="password"/> (compared in constant time).</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(hash);
        if (!hash.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = hash[Prefix.Length..];
        var rounds = DefaultRounds;
        if (rest.StartsWith(RoundsPrefix, StringComparison.Ordinal))
        {
            var end = rest.IndexOf('$', StringComparison.Ordinal);
            if (end < 0 || !int.TryParse(rest.AsSpan(RoundsPrefix.Length, end - RoundsPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out rounds)
                || rounds is < 1000 or > 999_999_999)
            {
                return false;
            }

            rest = rest[(end + 1)..];
        }

        var dollar = rest.IndexOf('$', StringComparison.Ordinal);
        if (dollar < 0 || dollar > MaxSaltLength)
        {
            return false;
        }

        var expected = Hash(password, rest[..dollar], rounds);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(hash));
    }

    /// <summary>The 64-byte digest after the rounds (steps 1 to 21 of the specification).</summary>
    private static byte[] Digest(byte[] key, byte[] salt, int rounds)
    {
        // B = H(key salt key); A = H(key salt, B repeated over key's length, then B or key per bit of key's length).
        var b = SHA512.HashData([.. key, .. salt, .. key]);
        var a = new List<byte>(key.Length * 3 + salt.Length + 128);
        a.AddRange(key);
        a.AddRange(salt);
        AddRepeated(a, b, key.Length);
        for (var length = key.Length; length > 0; length >>= 1)
        {
            a.AddRange((length & 1) != 0 ? b : key);
        }

        var digest = SHA512.HashData(a.ToArray());

        // P = H(key repeated key-length times), stretched to key's length; S = H(salt repeated 16 + A[0] times), to salt's length.
        var p = Stretch(SHA512.HashData(Repeat(key, key.Length)), key.Length);
        var s = Stretch(SHA512.HashData(Repeat(salt, 16 + digest[0])), salt.Length);

        var round = new List<byte>(p.Length * 2 + s.Length + 128);
        for (var i = 0; i < rounds; i++)
        {
            round.Clear();
            round.AddRange((i & 1) != 0 ? p : digest);
            if (i % 3 != 0)
            {
                round.AddRange(s);
            }

            if (i % 7 != 0)
            {
                round.AddRange(p);
            }

            round.AddRange((i & 1) != 0 ? digest : p);
            digest = SHA512.HashData(round.ToArray());
        }

        return digest;
    }

    private static void AddRepeated(List<byte> target, byte[] block, int length)
    {
        for (; length > block.Length; length -= block.Length)
        {
            target.AddRange(block);
        }

        target.AddRange(block.AsSpan(0, length).ToArray());
    }

    private static byte[] Repeat(byte[] block, int times)
    {
        var result = new byte[block.Length * times];
        for (var i = 0; i < times; i++)
        {
            block.CopyTo(result, i * block.Length);
        }

        return result;
    }

    private static byte[] Stretch(byte[] block, int length)
    {
        var result = new List<byte>(length);
        AddRepeated(result, block, length);
        return [.. result];
    }

    private static void Encode(StringBuilder text, int value, int characters)
    {
        for (var i = 0; i < characters; i++)
        {
            text.Append(Alphabet[value & 0x3f]);
            value >>= 6;
        }
    }
}
