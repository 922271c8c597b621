using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Locking;

public sealed class LockFileTests
{
    private static readonly string Sha = new('a', 64);

    private static LockedPackage Package(string name, string version) =>
        new(name, version, "amd64", $"pool/main/{name[0]}/{name}/{name}_{version}_amd64.deb", 1000, Sha, "debian");

    [Fact]
    public async Task Round_trips_sorted_with_a_trailing_newline()
    {
        using var temp = new TempDirectory();
        var path = temp.File("r.x86_64.lock.json");
        var lockFile = new LockFile("r", "amd64", ["zlib1g", "pgbouncer"], [Package("zlib1g", "1:1.2.13"), Package("libc6", "2.36-9")]);

        await LockFileStore.WriteAsync(path, lockFile, CancellationToken.None);
        var read = await LockFileStore.ReadAsync(path, CancellationToken.None);

        Assert.Equal(["libc6", "zlib1g"], read!.Packages.Select(p => p.Name));
        Assert.Equal(["pgbouncer", "zlib1g"], read.Requested);
        var text = await File.ReadAllTextAsync(path);
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.Contains("\"arch\": \"amd64\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_lock_reads_as_null() =>
        Assert.Null(await LockFileStore.ReadAsync("/nonexistent/x.lock.json", CancellationToken.None));

    [Theory]
    [InlineData("{ not json", "not valid JSON at line 1")]
    [InlineData("""{ "recipe": "r", "arch": "amd64", "requested": [], "packages": [ { "name": "a", "version": "1", "arch": "amd64", "filename": "a.deb", "size": 1, "sha256": "xyz", "upstream": "debian" } ] }""",
        "not a valid lock file")]
    public async Task Damaged_lock_is_an_input_error_naming_the_file(string text, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("bad.lock.json", text);

        var error = await Assert.ThrowsAsync<InputException>(() => LockFileStore.ReadAsync(path, CancellationToken.None));

        Assert.StartsWith($"{path}: {message}", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("regenerate it with --update", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Changes_list_additions_updates_and_removals()
    {
        var older = new LockFile("r", "amd64", [], [Package("a", "1"), Package("b", "1"), Package("c", "1")]);
        var newer = new LockFile("r", "amd64", [], [Package("a", "1"), Package("b", "2"), Package("d", "1")]);

        Assert.Equal(["~ b/amd64: 1 → 2", "+ d=1/amd64", "- c=1/amd64"], newer.Changes(older));
    }
}
