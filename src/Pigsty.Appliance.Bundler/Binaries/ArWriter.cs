using System.Globalization;
using System.Text;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>The common ar format dpkg reads: global header, 60-byte member headers, members padded to even length.</summary>
public static class ArWriter
{
    /// <summary>Writes the members in order with owner 0:0, mode 100644 and the given mtime.</summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<ArMember> members, DateTimeOffset mtime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(members);
        await output.WriteAsync("!<arch>\n"u8.ToArray(), cancellationToken);
        foreach (var member in members)
        {
            if (member.Name.Length is 0 or > 16 || !member.Name.All(c => c is > ' ' and < '\x7f' && c != '/'))
            {
                throw new ArgumentException($"ar member name '{member.Name}' must be 1-16 printable characters without '/'", nameof(members));
            }

            var length = member.Content.Length - member.Content.Position;
            var header = string.Create(CultureInfo.InvariantCulture,
                $"{member.Name,-16}{mtime.ToUnixTimeSeconds(),-12}{0,-6}{0,-6}{"100644",-8}{length,-10}`\n");
            await output.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken);
            await member.Content.CopyToAsync(output, cancellationToken);
            if (length % 2 == 1)
            {
                output.WriteByte((byte)'\n');
            }
        }
    }
}
