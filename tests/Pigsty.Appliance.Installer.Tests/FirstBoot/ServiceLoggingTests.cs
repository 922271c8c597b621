using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Installer.FirstBoot;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Status;
using Pigsty.Appliance.Installer.Tests.Fakes;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Installer.Tests.FirstBoot;

/// <summary>First boot's log lines carry syslog priorities when stderr is the journal, so <c>journalctl -p err</c> shows its errors.</summary>
public sealed class ServiceLoggingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_failed_first_boot_logs_its_error_with_priority_err_in_the_form_journald_reads()
    {
        var (options, formatter) = Console(journal: true);
        using var stderr = new StringWriter();
        var service = new FirstBootService(FailingInstaller(), new SdNotify(null),
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), new FormattedLogger<FirstBootService>(formatter, stderr));

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!;

        // journald strips "<3>" and files the line under PRIORITY=3; one line per entry, since it splits on newlines.
        Assert.Equal("<3>Pigsty.Appliance.Installer.FirstBoot.FirstBootService[0] first boot failed: repo_complete: 1 file differs\n", stderr.ToString());
        Assert.Equal((int)ExitCode.IntegrityFailed, service.ExitCode);

        // Every level goes to stderr (journal only); stdout, which the unit copies to the console, keeps just the progress lines.
        Assert.Equal(LogLevel.Trace, options.LogToStandardErrorThreshold);
    }

    [Theory]
    [InlineData(LogLevel.Critical, "<2>")]
    [InlineData(LogLevel.Error, "<3>")]
    [InlineData(LogLevel.Warning, "<4>")]
    [InlineData(LogLevel.Information, "<6>")]
    [InlineData(LogLevel.Debug, "<7>")]
    public void Each_level_has_its_syslog_priority(LogLevel level, string prefix)
    {
        var (_, formatter) = Console(journal: true);
        using var stderr = new StringWriter();

        new FormattedLogger<ServiceLoggingTests>(formatter, stderr).Log(level, "a\nb");

        Assert.Equal($"{prefix}{typeof(ServiceLoggingTests).FullName}[0] a b\n", stderr.ToString());
    }

    [Fact]
    public void In_a_terminal_log_lines_stay_plain()
    {
        var (options, formatter) = Console(journal: false);
        using var stderr = new StringWriter();

        new FormattedLogger<ServiceLoggingTests>(formatter, stderr).LogError("bad");

        Assert.Equal($"fail: {typeof(ServiceLoggingTests).FullName}[0] bad\n", stderr.ToString());
        Assert.Equal(LogLevel.Trace, options.LogToStandardErrorThreshold);
    }

    [Theory]
    [InlineData("8:314453", "socket:[314453]", true)]
    [InlineData("8:314453", "socket:[314452]", false)]
    [InlineData("8:314453", "/dev/pts/0", false)]
    [InlineData(null, "socket:[314453]", false)]
    [InlineData("314453", "socket:[314453]", false)]
    [InlineData("8:", "socket:[]", false)]
    public void Stderr_is_the_journal_only_when_journal_stream_names_its_socket(string? journalStream, string? link, bool expected) =>
        Assert.Equal(expected, ServiceLogging.StandardErrorIsJournal(journalStream, link));

    /// <summary>The console options and formatter exactly as <see cref="ServiceLogging.AddServiceConsole"/> configures them.</summary>
    private static (ConsoleLoggerOptions Options, ConsoleFormatter Formatter) Console(bool journal)
    {
        var services = new ServiceCollection().AddLogging(l => l.AddServiceConsole(journal)).BuildServiceProvider();
        var options = services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value;
        return (options, services.GetServices<ConsoleFormatter>().Single(f => f.Name == options.FormatterName));
    }

    /// <summary>A bundle whose check fails, as a corrupted image's would: first boot's own error path.</summary>
    private NodeInstaller FailingInstaller()
    {
        var machine = new FakeMachine(_temp.File("root"));
        return FirstBootSetup.Installer(_temp, machine, machine.Processes, volume: false, bundle: new CorruptBundle());
    }

    private sealed class CorruptBundle : IBundleCheck
    {
        public Task<string> VerifyAsync(string repoDirectory, CancellationToken cancellationToken) =>
            throw new IntegrityException("repo_complete: 1 file differs");
    }

    /// <summary>What the console logger does with each entry, writing to a test's writer instead of the process's stderr.</summary>
    private sealed class FormattedLogger<T>(ConsoleFormatter formatter, TextWriter output) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> format) =>
            formatter.Write(new Microsoft.Extensions.Logging.Abstractions.LogEntry<TState>(logLevel, typeof(T).FullName!, eventId, state, exception, format), null, output);
    }
}
