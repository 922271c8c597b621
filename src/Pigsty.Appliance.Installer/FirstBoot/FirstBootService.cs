using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Installer.FirstBoot;

/// <summary>pigsty-firstboot.service's work: one install run, READY=1 on success, then the host stops with the run's exit code.</summary>
public sealed class FirstBootService(NodeInstaller installer, SdNotify notify, IHostApplicationLifetime lifetime, ILogger<FirstBootService> logger)
    : BackgroundService
{
    /// <summary>The exit code the host should end with.</summary>
    public int ExitCode { get; private set; } = (int)Core.Errors.ExitCode.InternalError;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var result = await installer.RunAsync(new InstallOptions(null, null, PlanOnly: false, VerifyBundle: true), stoppingToken);
            notify.Ready(result.NothingChanged ? "install already complete" : "install complete");
            ExitCode = 0;
        }
        catch (ApplianceException e)
        {
            // No READY=1: the Type=notify unit fails visibly, and the next boot resumes (firstboot.done is not written).
            logger.LogError("first boot failed: {Reason}", e.Message);
            ExitCode = (int)e.ExitCode;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            ExitCode = (int)Core.Errors.ExitCode.Cancelled;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }
}
