using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Pigsty.Appliance.CommandLine;

/// <summary>
/// Log lines on stderr for people and for journald: under a unit whose stderr is the journal, each line starts with its
/// syslog priority (<c>&lt;3&gt;</c> for errors), so that <c>journalctl -p err -u pigsty-firstboot</c> finds them; in a
/// terminal they stay plain single lines. Progress lines on stdout are not log lines and are not touched.
/// </summary>
public static class ServiceLogging
{
    /// <summary>The prefix journald reads as PRIORITY=3 (err) at the start of a line.</summary>
    public const string ErrorPriority = "<3>";

    private static readonly Lazy<bool> Journal = new(() =>
        StandardErrorIsJournal(Environment.GetEnvironmentVariable("JOURNAL_STREAM"), ReadLink("/proc/self/fd/2")));

    /// <summary>True when this process's stderr is connected to journald (systemd.exec's $JOURNAL_STREAM names it).</summary>
    public static bool StandardErrorIsJournal() => Journal.Value;

    /// <summary>
    /// systemd sets JOURNAL_STREAM to "device:inode" of the journal stream when stdout or stderr is connected to it, and to
    /// stderr's when both are on separate streams; stderr is a journal socket when its inode is that one.
    /// </summary>
    public static bool StandardErrorIsJournal(string? journalStream, string? standardErrorLink)
    {
        var separator = journalStream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return separator > 0
            && ulong.TryParse(journalStream.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            && standardErrorLink == $"socket:[{inode.ToString(CultureInfo.InvariantCulture)}]";
    }

    /// <summary>All levels to stderr, with priorities for journald or as plain lines (<paramref name="timestampFormat"/> only on a terminal: journald keeps its own).</summary>
    public static ILoggingBuilder AddServiceConsole(this ILoggingBuilder logging, bool journal, string? timestampFormat = null)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return journal
            ? logging.AddSystemdConsole(o => o.IncludeScopes = false)
            : logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = timestampFormat;
            });
    }

    private static string? ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
