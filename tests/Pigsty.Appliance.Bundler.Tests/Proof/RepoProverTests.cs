using Pigsty.Appliance.Bundler.Proof;
using Pigsty.Appliance.Core.Errors;
using Pigsty.Appliance.Testing;

namespace Pigsty.Appliance.Bundler.Tests.Proof;

/// <summary>The prove step of a bundle: proofs run once per repo content, inputs and tools; --prove forces them; a bad record file is never trusted.</summary>
public sealed class RepoProverTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CountingProofs _proofs = new();
    private readonly Clock _clock = new();
    private readonly List<string> _steps = [];
    private readonly List<string> _warnings = [];

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_unchanged_repo_reuses_the_pass_and_says_from_when()
    {
        var request = Request(("libpq5_17.5-1_amd64.deb", "a"));
        var first = await ProveAsync(request);
        _clock.Now = _clock.Now.AddHours(3);

        var second = await ProveAsync(request);

        Assert.False(first.Reused);
        Assert.True(second.Reused);
        Assert.Equal(first.Record, second.Record);
        Assert.Equal((1, 1), (_proofs.Installs, _proofs.Bootstraps));
        Assert.Contains(_steps, s => s.StartsWith("already passed for this repo content on 2026-11-30 08:00 UTC", StringComparison.Ordinal));
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task Changed_repo_content_proves_again()
    {
        await ProveAsync(Request(("libpq5_17.5-1_amd64.deb", "a")));

        var outcome = await ProveAsync(Request(("libpq5_17.5-1_amd64.deb", "b")));

        Assert.False(outcome.Reused);
        Assert.Equal(2, _proofs.Installs);
    }

    [Fact]
    public async Task Other_packages_to_install_or_other_tools_prove_again()
    {
        var request = Request(("libpq5_17.5-1_amd64.deb", "a"));
        await ProveAsync(request);

        Assert.False((await ProveAsync(request with { Installable = [.. request.Installable, "patroni"] })).Reused);
        _proofs.Tools = "apt 2.6.2\nmmdebstrap 1.3.5\n";
        Assert.False((await ProveAsync(request)).Reused);
        Assert.Equal(3, _proofs.Installs);
    }

    [Fact]
    public async Task Force_proves_again_and_records_the_new_pass()
    {
        var request = Request(("libpq5_17.5-1_amd64.deb", "a"));
        await ProveAsync(request);
        _clock.Now = _clock.Now.AddDays(1);

        var forced = await ProveAsync(request, force: true);
        var after = await ProveAsync(request);

        Assert.False(forced.Reused);
        Assert.Equal((2, 2), (_proofs.Installs, _proofs.Bootstraps));
        Assert.True(after.Reused);
        Assert.Equal(_clock.Now, after.Record.Proven);
    }

    [Fact]
    public async Task A_forced_proof_that_fails_leaves_no_pass_to_reuse()
    {
        var request = Request(("libpq5_17.5-1_amd64.deb", "a"));
        await ProveAsync(request);
        _proofs.Fail = true;

        await Assert.ThrowsAsync<IntegrityException>(() => ProveAsync(request, force: true));
        _proofs.Fail = false;
        var next = await ProveAsync(request);

        Assert.False(next.Reused);
        Assert.Equal(3, _proofs.Installs);
    }

    [Fact]
    public async Task A_corrupt_record_file_is_ignored_with_a_note_and_written_anew()
    {
        var request = Request(("libpq5_17.5-1_amd64.deb", "a"));
        await ProveAsync(request);
        var file = ProofCache.In(_temp.Path).Path;
        var recorded = await File.ReadAllTextAsync(file);
        await File.WriteAllTextAsync(file, recorded[..(recorded.Length / 2)]);

        var outcome = await ProveAsync(request);

        Assert.False(outcome.Reused);
        Assert.Equal(2, _proofs.Installs);
        Assert.Contains(_warnings, w => w.Contains(file, StringComparison.Ordinal) && w.Contains("ignored", StringComparison.Ordinal));
        Assert.True((await ProveAsync(request)).Reused);
    }

    private Task<ProofOutcome> ProveAsync(ProofRequest request, bool force = false) =>
        new RepoProver(_proofs, ProofCache.In(_temp.Path), _clock).ProveAsync(request, force, _steps.Add, _warnings.Add, CancellationToken.None);

    private ProofRequest Request(params (string Name, string Content)[] files) =>
        new(MarkerOnlyRepo.Write(_temp.File("repo"), files), "pigsty-d12", ["pgbouncer", "postgresql-15"], ["systemd"]);

    private sealed class CountingProofs : IRepoProofs
    {
        public string Tools { get; set; } = "apt 2.6.1\nmmdebstrap 1.3.5\n";

        public bool Fail { get; set; }

        public int Installs { get; private set; }

        public int Bootstraps { get; private set; }

        public Task<string> ToolsAsync(CancellationToken cancellationToken) => Task.FromResult(Tools);

        public Task<int> ProveInstallableAsync(string repoDir, IReadOnlyList<string> packages, CancellationToken cancellationToken)
        {
            Installs++;
            return Fail ? throw new IntegrityException("stock apt cannot install every requested package") : Task.FromResult(42);
        }

        public Task ProveBootstrapAsync(string repoDir, IReadOnlyList<string> include, CancellationToken cancellationToken)
        {
            Bootstraps++;
            return Task.CompletedTask;
        }
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
