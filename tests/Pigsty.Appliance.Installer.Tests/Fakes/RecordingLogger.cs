using Microsoft.Extensions.Logging;

namespace Pigsty.Appliance.Installer.Tests.Fakes;

/// <summary>Keeps every log line (message and exception text) a step's logger receives.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<string> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Add($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}
