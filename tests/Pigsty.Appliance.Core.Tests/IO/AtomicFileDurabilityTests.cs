using System.Text.RegularExpressions;
using Pigsty.Appliance.Core.IO;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Core.Tests.IO;

/// <summary>
/// A rename is only durable once its directory is on disk: without the directory's fsync a power cut can bring back the old
/// file (or none) although the new content was flushed. strace attaches to this test process and records what the real
/// AtomicFile asks the kernel for.
/// </summary>
public sealed partial class AtomicFileDurabilityTests
{
    [Fact]
    public async Task The_directory_is_fsynced_after_the_rename()
    {
        using var temp = new TempDirectory();
        var directory = Directory.CreateDirectory(temp.File("durable")).FullName;
        var target = Path.Combine(directory, "state.json");
        var marker = temp.Write("marker", "m");
        // -ff: one file per thread, so no call is split into "unfinished" and "resumed" halves.
        var trace = temp.File("trace");

        using (var stop = new CancellationTokenSource())
        {
            var spec = RealTool.Spec("strace", "-f", "-ff", "-o", trace, "-e", "trace=openat,fsync,fdatasync,rename,renameat,renameat2",
                "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)) with
            {
                ThrowOnNonZeroExit = false,
                KillGrace = TimeSpan.FromSeconds(5),
            };
            var strace = ProcessRunner.Silent.RunAsync(spec, stop.Token);
            await WaitUntilTracedAsync(marker, trace, strace);

            await AtomicFile.WriteAllTextAsync(target, "{}\n", CancellationToken.None);

            await stop.CancelAsync();
            try
            {
                await strace;
            }
            catch (OperationCanceledException)
            {
                // Stopped by us: SIGTERM makes strace detach and finish its output.
            }
        }

        var threads = Directory.GetFiles(temp.Path, "trace.*").Select(File.ReadAllLines).ToList();
        var renamed = threads.SingleOrDefault(t => t.Any(l => IsRenameOnto(l, target)));
        Assert.True(renamed is not null, $"no rename onto {target} in the trace:\n{Excerpt(threads, directory)}");
        var after = renamed!.SkipWhile(l => !IsRenameOnto(l, target)).Skip(1).ToList();
        var synced = after.Select(l => DirectoryOpen().Match(l))
            .Where(m => m.Success && m.Groups["path"].Value == directory)
            .Any(open => after.Any(l => FsyncCall().Match(l) is { Success: true } f && f.Groups["fd"].Value == open.Groups["fd"].Value));
        Assert.True(synced, $"{directory} was not opened and fsynced after the rename:\n{Excerpt(threads, directory)}");
    }

    private static bool IsRenameOnto(string line, string target) =>
        RenameCall().IsMatch(line) && line.Contains($", \"{target}\"", StringComparison.Ordinal);

    /// <summary>Opens the marker until strace shows it: from then on every thread of this process is attached.</summary>
    private static async Task WaitUntilTracedAsync(string marker, string trace, Task<ProcessResult> strace)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (strace.IsCompleted)
            {
                var result = await strace;
                Assert.Fail($"strace could not attach to this process (exit {result.ExitCode}; ptrace may be restricted):\n{result.StandardError}");
            }

            File.ReadAllText(marker);
            if (Directory.GetFiles(Path.GetDirectoryName(trace)!, Path.GetFileName(trace) + ".*")
                .Any(f => File.ReadAllText(f).Contains(marker, StringComparison.Ordinal)))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail("strace did not trace this process within 30 s");
    }

    private static string Excerpt(List<string[]> threads, string directory) =>
        string.Join('\n', threads.SelectMany(t => t).Where(l => l.Contains(directory, StringComparison.Ordinal) || l.Contains("fsync", StringComparison.Ordinal)).Take(40));

    [GeneratedRegex(@"\brename(at2?)?\(")]
    private static partial Regex RenameCall();

    [GeneratedRegex(@"^openat\(AT_FDCWD, ""(?<path>[^""]*)"", O_RDONLY\|[^)]*O_DIRECTORY[^)]*\)\s+=\s+(?<fd>\d+)")]
    private static partial Regex DirectoryOpen();

    [GeneratedRegex(@"^f(data)?sync\((?<fd>\d+)\)")]
    private static partial Regex FsyncCall();
}
