using Pigsty.Appliance.Core.IO;

namespace Pigsty.Appliance.Cli.Push;

/// <summary>One host's output: each line to its own log file, and to the console prefixed with the host (hosts run at once, lines stay whole).</summary>
public sealed class HostLog(string host, string path, TextWriter console, Lock consoleGate) : IDisposable
{
    private readonly StreamWriter _file = new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), AtomicFile.Utf8) { AutoFlush = true, NewLine = "\n" };

    /// <summary>The log file.</summary>
    public string Path => path;

    /// <summary>Writes one line to the log and the console.</summary>
    public Task LineAsync(string line)
    {
        _file.WriteLine(line);
        lock (consoleGate)
        {
            console.WriteLine($"[{host}] {line}");
        }

        return Task.CompletedTask;
    }

    public void Dispose() => _file.Dispose();
}
