namespace Pigsty.Appliance.Installer.Modules;

/// <summary>A user's connection string to a service, without its password, and where the password is kept.</summary>
/// <param name="User">The user the connection string logs in as.</param>
/// <param name="Command">A command line that connects, e.g. <c>psql 'postgres://dbuser_meta@10.10.10.10:5433/meta'</c>.</param>
/// <param name="Password">Where the password is, never the password: e.g. <c>password from credentials.yml (pg_admin_password)</c>.</param>
public sealed record ServiceLogin(string User, string Command, string Password);
