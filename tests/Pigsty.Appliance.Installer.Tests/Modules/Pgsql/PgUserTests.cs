using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Installer.Modules.Pgsql.Settings;

namespace Pigsty.Appliance.Installer.Tests.Modules.Pgsql;

public sealed class PgUserTests
{
    [Theory]
    [InlineData("{ name: dbuser_meta }", null, "pg_user_dbuser_meta_password")]
    [InlineData("{ name: dbuser_meta, password: given }", "given", null)]
    [InlineData("{ name: dbrole_x, login: false }", null, null)]
    public void Login_users_without_a_password_get_a_generated_one(string yaml, string? password, string? secret)
    {
        var user = PgUser.Parse(YamlReader.Parse(yaml, "u.yml"));

        Assert.Equal(password, user.Password);
        Assert.Equal(secret, user.PasswordSecret);
    }

    [Fact]
    public void Generated_user_passwords_are_found_by_secret_name()
    {
        var secrets = new PgSecrets("r", "m", "a", "p", "e", null, new Dictionary<string, string> { ["pg_user_x_password"] = "gen" });

        Assert.Equal("gen", secrets.Of("pg_user_x_password"));
        Assert.Equal("a", secrets.Of(PgsqlSettings.AdminPasswordName));
        Assert.Contains("gen", secrets.All);
    }
}
