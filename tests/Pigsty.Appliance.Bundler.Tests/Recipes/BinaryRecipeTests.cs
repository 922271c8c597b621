using Pigsty.Appliance.Bundler.Recipes;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Recipes;

/// <summary>The <c>binaries:</c> section: its syntax, defaults, and every mistake reported with file, line and field.</summary>
public sealed class BinaryRecipeTests
{
    private const string Recipe = """
        name: tiny
        os: d12
        arch: amd64
        upstreams:
          debian: { url: host, suites: [bookworm], components: [main] }
        groups:
          g: { packages: [pgbouncer] }
        binaries:
          hello-svc:
            version: "1.0"
            github: acme/hello
            tag: v1.0
            asset: "hello-svc-*-linux-amd64.tar.gz"
            install: [hello-svc]
            service:
              user: hello
        """;

    [Fact]
    public async Task Default_recipe_describes_minio_and_mcli_disabled_as_the_installer_expects()
    {
        var recipe = await RecipeLoader.LoadAsync(TestData.Path("recipes", "pigsty-d12.yml"), CancellationToken.None);

        Assert.Empty(recipe.EnabledBinaries);
        var minio = recipe.Binaries.Single(b => b.Name == "minio");
        Assert.Equal((false, "/usr/bin/minio"), (minio.FromArchive, Assert.Single(minio.Files).Target));
        Assert.Equal(new ServiceSpec("minio.service", "MinIO object storage", "/usr/bin/minio server $MINIO_OPTS $MINIO_VOLUMES", "-/etc/default/minio", "minio",
            "/nonexistent"), minio.Service);
        Assert.StartsWith("https://dl.min.io/server/minio/release/linux-amd64/archive/minio.RELEASE.", Assert.IsType<UrlSource>(minio.Source).Url.ToString(),
            StringComparison.Ordinal);
        var mcli = recipe.Binaries.Single(b => b.Name == "mcli");
        Assert.Equal("/usr/bin/mcli", Assert.Single(mcli.Files).Target);
        Assert.Null(mcli.Service);
    }

    [Fact]
    public void GitHub_source_with_a_service_user_gets_passwd_and_defaults()
    {
        var component = Assert.Single(RecipeLoader.Parse(Recipe, "/r/tiny.yml").Binaries);

        Assert.Equal(new GitHubReleaseSource("acme", "hello", "v1.0", "hello-svc-*-linux-amd64.tar.gz"), component.Source);
        Assert.True(component.Enabled);
        Assert.Equal([new BinaryFile("hello-svc", "/usr/bin/hello-svc")], component.Files);
        Assert.Equal(["passwd"], component.Depends);
        Assert.Equal(new ServiceSpec("hello-svc.service", "hello-svc", "/usr/bin/hello-svc", null, "hello", "/nonexistent"), component.Service);
    }

    [Fact]
    public void Recipe_without_binaries_has_none()
    {
        var recipe = RecipeLoader.Parse(Recipe[..Recipe.IndexOf("binaries:", StringComparison.Ordinal)], "/r/tiny.yml");

        Assert.Empty(recipe.Binaries);
    }

    [Theory]
    [InlineData("    version: \"1.0\"\n", "", "r.yml:10:5: binaries.hello-svc: missing 'version'")]
    [InlineData("\"1.0\"", "\"v1\"", "r.yml:10:14: binaries.hello-svc.version: 'v1' is not a Debian version starting with a digit (quote it, e.g. \"1.2.3\")")]
    [InlineData("  hello-svc:\n", "  Hello_Svc:\n", "r.yml:9:3: binaries.Hello_Svc: 'Hello_Svc' is not a valid name (lowercase letters, digits, '-', '.')")]
    [InlineData("    github: acme/hello\n", "", "r.yml:10:5: binaries.hello-svc: needs one source: 'github' (with 'tag' and 'asset'), 'url' or 'file'")]
    [InlineData("    github: acme/hello\n", "    github: acme/hello\n    file: ./hello\n", "r.yml:10:5: binaries.hello-svc: has 'github' and 'file'; give exactly one source")]
    [InlineData("github: acme/hello\n    tag: v1.0\n", "url: https://example.invalid/hello.tar.gz\n    tag: v1.0\n", "r.yml:12:10: binaries.hello-svc.tag: 'tag' only applies to a 'github' source")]
    [InlineData("github: acme/hello", "github: acme", "r.yml:11:13: binaries.hello-svc.github: 'acme' is not OWNER/REPO")]
    [InlineData("    asset: \"hello-svc-*-linux-amd64.tar.gz\"\n", "", "r.yml:10:5: binaries.hello-svc: missing 'asset'")]
    [InlineData("github: acme/hello\n    tag: v1.0\n    asset: \"hello-svc-*-linux-amd64.tar.gz\"", "url: ftp://example.invalid/hello", "r.yml:11:10: binaries.hello-svc.url: 'ftp://example.invalid/hello' is not an http(s) URL of a file")]
    [InlineData("    tag: v1.0\n", "    tag: v1.0\n    sha256: abc\n", "r.yml:13:13: binaries.hello-svc.sha256: 'abc' is not a SHA-256 (64 hex digits)")]
    [InlineData("install: [hello-svc]", "install: [../hello-svc]", "r.yml:14:15: binaries.hello-svc.install[0]: '../hello-svc' is not a file name or relative path inside the archive")]
    [InlineData("install: [hello-svc]", "install: { hello-svc: usr/bin/x }", "r.yml:14:27: binaries.hello-svc.install.hello-svc: 'usr/bin/x' is not an absolute install path outside /etc (e.g. /usr/bin/tool)")]
    [InlineData("install: [hello-svc]", "install: /etc/hello", "r.yml:14:14: binaries.hello-svc.install: '/etc/hello' is not an absolute install path outside /etc (e.g. /usr/bin/tool)")]
    [InlineData("install: [hello-svc]", "install: []", "r.yml:14:14: binaries.hello-svc.install: lists no files to install")]
    [InlineData("install: [hello-svc]", "install: [hello-svc]\n    depends: [libc6 >= 2]", "r.yml:15:15: binaries.hello-svc.depends[0]: 'libc6 >= 2' is not a package name with an optional version, e.g. 'libc6 (>= 2.36)'")]
    [InlineData("install: [hello-svc]", "install: [hello-svc]\n    enabled: maybe", "r.yml:15:14: binaries.hello-svc.enabled: expected true or false, got 'maybe'")]
    [InlineData("install: [hello-svc]", "install: [hello-svc]\n    checksum: x", "r.yml:15:5: binaries.hello-svc.checksum: unknown key 'checksum' (expected enabled, version, github, tag, asset, url, file, sha256, install, depends, description, homepage, service)")]
    [InlineData("      user: hello", "      user: Hello", "r.yml:16:13: binaries.hello-svc.service.user: 'Hello' is not a system user name (lowercase letters, digits, '-', '_')")]
    [InlineData("      user: hello", "      unit: hello", "r.yml:16:13: binaries.hello-svc.service.unit: 'hello' is not a unit file name ending in .service")]
    [InlineData("      user: hello", "      environment_file: etc/default/hello", "r.yml:16:25: binaries.hello-svc.service.environment_file: 'etc/default/hello' is not an absolute path (a leading '-' makes it optional)")]
    [InlineData("      user: hello", "      exec: /bin/x", "r.yml:16:7: binaries.hello-svc.service.exec: unknown key 'exec' (expected unit, description, args, environment_file, user, home)")]
    [InlineData("binaries:\n", "binaries: [x]\n", "r.yml:8:11: binaries: expected a mapping, got a list")]
    public void Mistakes_are_reported_with_line_and_field(string find, string replace, string expected)
    {
        Assert.Contains(find, Recipe, StringComparison.Ordinal);
        var text = Recipe.Replace(find, replace, StringComparison.Ordinal);
        if (find == "binaries:\n")
        {
            text = text[..(text.IndexOf("binaries:", StringComparison.Ordinal) + "binaries: [x]\n".Length)];
        }

        Assert.Equal(expected, Assert.Throws<InputException>(() => RecipeLoader.Parse(text, "r.yml")).Message);
    }
}
