using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pigsty.Appliance.Cli.Commands;

namespace Pigsty.Appliance.Cli.Tests.Commands;

public sealed class FirstBootCommandTests
{
    [Fact]
    public void The_first_boot_host_watches_no_configuration_file()
    {
        // The default builder adds appsettings.json with reloadOnChange from the working directory, which for a unit is "/":
        // a recursive inotify watch over the whole node.
        var builder = FirstBootCommand.CreateBuilder();
        using var host = builder.Build();

        var providers = ((IConfigurationRoot)builder.Configuration).Providers.ToList();
        Assert.DoesNotContain(providers, p => p is FileConfigurationProvider);
        Assert.Equal(AppContext.BaseDirectory.TrimEnd('/'), builder.Environment.ContentRootPath.TrimEnd('/'));
        // Still stopped by SIGTERM (systemctl stop) through the console lifetime, as the default builder was.
        Assert.Equal("ConsoleLifetime", host.Services.GetRequiredService<IHostLifetime>().GetType().Name);
    }

    [Fact]
    public void The_default_builder_would_watch_appsettings_in_its_content_root()
    {
        // The hazard the test above guards against, shown on the builder it replaced.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        using var configuration = builder.Configuration;
        var files = ((IConfigurationRoot)builder.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.ReloadOnChange);
    }
}
