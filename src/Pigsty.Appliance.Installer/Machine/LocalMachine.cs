using Pigsty.Appliance.Core.Processes;

namespace Pigsty.Appliance.Installer.Machine;

/// <summary>The real node: local files, apt, systemd, and health probes over loopback/LAN.</summary>
public sealed class LocalMachine(IProcessRunner processes, HttpClient http, TimeProvider time) : IMachine
{
    private readonly LocalFileSystem _files = new(processes);
    private readonly SystemdServiceManager _services = new(processes);

    public IFileSystem Files => _files;

    public IPackageManager Packages => field ??= new AptPackageManager(processes, _files);

    public IServiceManager Services => _services;

    public IHealthProbe Health => field ??= new HealthProbe(_services, http, time, processes);

    public IProcessRunner Processes => processes;
}
