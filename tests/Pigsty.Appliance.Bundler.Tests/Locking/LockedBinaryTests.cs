using Pigsty.Appliance.Bundler.Locking;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Locking;

/// <summary>The lock's optional <c>binaries</c> array: older locks load and rewrite unchanged, pins round-trip and show up in diffs.</summary>
public sealed class LockedBinaryTests : IDisposable
{
    private static readonly LockedBinary Pin = new("hello-svc", "1.0", "github:acme/hello@v1.0", "hello-svc-1.0.tar.gz", 123, new string('a', 64));
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Committed_lock_without_binaries_loads_and_is_rewritten_byte_for_byte()
    {
        var committed = TestData.Path("repo-manifests", "pigsty-d12.x86_64.lock.json");

        var lockFile = await LockFileStore.ReadAsync(committed, CancellationToken.None);
        await LockFileStore.WriteAsync(_temp.File("copy.json"), lockFile!, CancellationToken.None);

        Assert.Null(lockFile!.Binaries);
        Assert.Equal(await File.ReadAllBytesAsync(committed), await File.ReadAllBytesAsync(_temp.File("copy.json")));
    }

    [Fact]
    public async Task Pins_round_trip_and_appear_in_changes()
    {
        var path = _temp.File("tiny.lock.json");
        var without = new LockFile("tiny", "amd64", [], []);
        await LockFileStore.WriteAsync(path, without with { Binaries = [Pin] }, CancellationToken.None);

        var read = await LockFileStore.ReadAsync(path, CancellationToken.None);

        Assert.Equal([Pin], read!.Binaries!);
        Assert.Contains("\"binaries\": [", await File.ReadAllTextAsync(path), StringComparison.Ordinal);
        Assert.Equal([$"+ binary {Pin}"], read.Changes(without));
        Assert.Equal([$"~ binary hello-svc: {Pin} → {Pin with { Version = "1.1" }}"], (read with { Binaries = [Pin with { Version = "1.1" }] }).Changes(read));
        Assert.Equal([$"- binary {Pin}"], without.Changes(read));
    }

    [Fact]
    public async Task Malformed_pin_is_refused_with_the_file_named()
    {
        var path = _temp.Write("bad.json", """{"recipe":"t","arch":"amd64","requested":[],"packages":[],"binaries":[{"name":"x","version":"1","source":"url:y","asset":"a","size":1,"sha256":"nope"}]}""");

        var error = await Assert.ThrowsAsync<InputException>(() => LockFileStore.ReadAsync(path, CancellationToken.None));

        Assert.StartsWith($"{path}: not a valid lock file", error.Message, StringComparison.Ordinal);
    }
}
