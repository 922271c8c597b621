using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Pigsty.Appliance.CommandLine;

/// <summary>What every command needs: the console and a logger factory that honours --verbose (with journald priorities under systemd).</summary>
public sealed class CliContext(CliIo io, Option<bool> verbose) : IDisposable
{
    private ILoggerFactory? _loggers;

    public CliIo Io { get; } = io;

    /// <summary>Reads the global options of this invocation; call once at the start of each command's action.</summary>
    public void Configure(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var level = parseResult.GetValue(verbose) ? LogLevel.Debug : LogLevel.Warning;
        _loggers?.Dispose();
        _loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddServiceConsole(Io.ErrorIsJournal, "HH:mm:ss ")
            .AddFilter((_, _, l) => l >= level));
    }

    /// <summary>The logger factory for components that create their own loggers.</summary>
    public ILoggerFactory Loggers => _loggers ??= LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Warning)
        .AddServiceConsole(Io.ErrorIsJournal));

    /// <summary>A logger for <typeparamref name="T"/>; logs go to stderr.</summary>
    public ILogger<T> Logger<T>() => Loggers.CreateLogger<T>();

    public void Dispose() => _loggers?.Dispose();
}
