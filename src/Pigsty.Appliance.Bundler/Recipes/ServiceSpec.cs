namespace Pigsty.Appliance.Bundler.Recipes;

/// <summary>The systemd unit a binary package ships (never enabled or started by the package: the installer does that).</summary>
/// <param name="Unit">Unit file name, e.g. <c>minio.service</c>.</param>
/// <param name="Description">The unit's Description=.</param>
/// <param name="ExecStart">The whole ExecStart= line: the first installed binary followed by the recipe's args.</param>
/// <param name="EnvironmentFile">EnvironmentFile= (a leading '-' makes it optional), or null.</param>
/// <param name="User">The system user the service runs as and the package creates, or null for root.</param>
/// <param name="Home">The system user's home directory (not created by the package).</param>
public sealed record ServiceSpec(string Unit, string Description, string ExecStart, string? EnvironmentFile, string? User, string Home);
