using System.Buffers;
using System.Globalization;
using System.Text.Unicode;
using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Core.Yaml;

/// <summary>Strict UTF-8 decoding of a user's file: an invalid byte is an input error, never a silent U+FFFD.</summary>
internal static class Utf8Text
{
    private static readonly byte[] ByteOrderMark = [0xef, 0xbb, 0xbf];

    /// <summary>The text of <paramref name="bytes"/> (a leading UTF-8 BOM dropped); <paramref name="file"/> names it in the error.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string file)
    {
        var start = bytes.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
        var content = bytes[start..];
        var chars = new char[content.Length];
        var status = Utf8.ToUtf16(content, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done)
        {
            return new string(chars, 0, written);
        }

        // InvalidData or NeedMoreData (a sequence cut by the end of the file): read is where the bad sequence starts.
        var offset = start + read;
        var lineStart = bytes[..offset].LastIndexOf((byte)'\n') + 1;
        var line = bytes[..offset].Count((byte)'\n') + 1;
        throw new InputException(new InputProblem(new SourceLocation(file, line, offset - lineStart + 1), "",
            $"byte offset {offset.ToString(CultureInfo.InvariantCulture)} (0x{bytes[offset]:X2}) is not valid UTF-8; save the file as UTF-8"));
    }
}
