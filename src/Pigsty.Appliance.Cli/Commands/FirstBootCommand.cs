using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pigsty.Appliance.CommandLine;
using Pigsty.Appliance.Installer.FirstBoot;
using Pigsty.Appliance.Installer.Run;
using Pigsty.Appliance.Installer.Status;

namespace Pigsty.Appliance.Cli.Commands;

/// <summary><c>firstboot</c>: the pigsty-firstboot.service entry point, a generic host running one install with sd_notify.</summary>
public static class FirstBootCommand
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("firstboot", "Run first boot under systemd (Type=notify): verify the bundle, read the seed, install, report");
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            context.Configure(parseResult);
            var builder = CreateBuilder();
            builder.Logging.AddServiceConsole(context.Io.ErrorIsJournal);
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<HttpClient>();
            builder.Services.AddSingleton(SdNotify.FromEnvironment());
            builder.Services.AddSingleton(services => NodeInstallerFactory.Create(
                services.GetRequiredService<ILoggerFactory>(), services.GetRequiredService<HttpClient>(), context.Io.Out, TimeProvider.System).Installer);
            builder.Services.AddSingleton<FirstBootService>();
            builder.Services.AddHostedService(services => services.GetRequiredService<FirstBootService>());
            using var host = builder.Build();

            // RunAsync disposes the host's services when it returns: keep the service to read its exit code after.
            var service = host.Services.GetRequiredService<FirstBootService>();
            await host.RunAsync(cancellationToken);
            return service.ExitCode;
        });
        return command;
    }

    /// <summary>A host with no configuration sources and no logging providers: first boot reads its seed, not appsettings.</summary>
    /// <remarks>
    /// Not <see cref="Host.CreateApplicationBuilder()"/>: it watches appsettings.json in the content root for changes, and a
    /// service's working directory is <c>/</c>, so .NET put an inotify watch on every directory of the node. Under TCG that
    /// cost 17 s between the unit's start and its first line, and every file the install wrote afterwards woke the watcher.
    /// </remarks>
    internal static HostApplicationBuilder CreateBuilder() =>
        Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "pigsty-appliance", ContentRootPath = AppContext.BaseDirectory });
}
