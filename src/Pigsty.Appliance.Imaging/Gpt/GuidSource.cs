using System.Security.Cryptography;
using System.Text;

namespace Pigsty.Appliance.Imaging.Gpt;

/// <summary>Where GUIDs come from: random by default, or derived from a seed so that a rebuild gives the same disk.</summary>
public sealed class GuidSource
{
    private readonly string? _seed;

    private GuidSource(string? seed)
    {
        _seed = seed;
    }

    /// <summary>Fresh random GUIDs each time.</summary>
    public static GuidSource Random { get; } = new(null);

    /// <summary>True when GUIDs are derived from a seed.</summary>
    public bool IsDeterministic => _seed is not null;

    /// <summary>GUIDs derived from <paramref name="seed"/>: the same seed and purpose always give the same GUID.</summary>
    public static GuidSource FromSeed(string seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(seed);
        return new GuidSource(seed);
    }

    /// <summary>The GUID for <paramref name="purpose"/> (e.g. <c>disk</c>, <c>partition:root</c>, <c>ext4:root</c>).</summary>
    /// <remarks>Seeded GUIDs are RFC 9562 version 8 ("custom") UUIDs made from SHA-256 of the seed and purpose.</remarks>
    public Guid Next(string purpose)
    {
        if (_seed is null)
        {
            return Guid.NewGuid();
        }

        Span<byte> bytes = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(_seed + "\n" + purpose), bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes[..16], bigEndian: true);
    }

    /// <summary>A 32-bit volume serial number (FAT volume ID) for <paramref name="purpose"/>.</summary>
    public uint NextVolumeId(string purpose)
    {
        Span<byte> bytes = stackalloc byte[16];
        Next(purpose).TryWriteBytes(bytes);
        return BitConverter.ToUInt32(bytes[..4]);
    }
}
