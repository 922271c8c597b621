using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Contract;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer.Modules.Infra;
using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.Core.Yaml;
using Pigsty.Appliance.Imaging.Build;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Installer.Modules.Node.Renderers;
using Pigsty.Appliance.Imaging.Qemu;
using Pigsty.Appliance.Repository.Sealed;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>Everything the product promises on a single node, checked from the host: services, data path, backups, monitoring, re-run, reboot.</summary>
internal sealed class FullInstallChecks(IProcessRunner runner, HttpClient http, string work, string key, string? bundle, string seed, string image)
{
    /// <summary>The target the bundle was built for (its manifest's os), whose PostgreSQL major the node must serve; null without a bundle.</summary>
    public TargetPlatform? Platform { get; init; }

    private BootedGuest? _rebooted;
    private AuthenticationHeaderValue? _login;
    private QemuVm? _second;

    /// <summary>Seconds measured along the way, for the report.</summary>
    public Dictionary<string, double> Figures { get; } = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<CheckResult>> RunAsync(BootSession session, BootedGuest guest, string? result, CancellationToken cancellationToken)
    {
        var checks = new List<CheckResult> { GuestChecks.BundleVerified(guest), GuestChecks.InstallDone(result) };
        if (result is null || FirstBootMilestone.Of(result) != "done")
        {
            return checks;
        }

        Timings(guest);
        var console = guest.Vm.Lines.Select(l => l.Text).ToList();
        var jobs = ScrapedJobs(console);
        checks.Add(GuestChecks.NothingInstalled(console));
        checks.Add(bundle is null ? CheckResult.Skip($"nginx serves /{RepoLayout.RootName}/{RepoLayout.Marker}", "no --bundle given") : await GuestChecks.RepoServedAsync(guest, http, bundle, cancellationToken));

        using var shell = new GuestShell(key, guest.Port(22), "dba");
        var credentials = await CredentialsAsync(shell, cancellationToken);
        checks.Add(new CheckResult("generated credentials readable by the admin user (sudo)", credentials.Count > 0, $"{credentials.Count} secrets in {NodeLayout.CredentialsFile}"));
        var portalPassword = credentials.GetValueOrDefault(PortalUser.GeneratedPasswordVar, "");
        _login = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PortalUser.DefaultName}:{portalPassword}")));

        checks.Add(await HttpChecks.AllOneAsync(http, guest, _login, "VictoriaMetrics: up == 1 for every scraped target", "up", jobs, TimeSpan.FromMinutes(3), cancellationToken));
        checks.Add(await HttpChecks.HealthyAsync(http, guest, "vmalert answers (through the portal)", 80, "/vmalert/api/v1/rules", cancellationToken, _login));
        checks.Add(await HttpChecks.HealthyAsync(http, guest, "Alertmanager answers (through the portal)", 80, "/alertmgr/-/healthy", cancellationToken, _login));
        checks.Add(await HttpChecks.EtcdHealthAsync(http, guest, cancellationToken));
        checks.Add(await PortalCheck.ShowsStatusAsync(runner, guest, work, $"{PortalUser.DefaultName}:{portalPassword}", cancellationToken));
        checks.AddRange(await ExposureAsync(guest, shell, cancellationToken));
        var admin = credentials.GetValueOrDefault("pg_admin_password", "");
        var meta = credentials.GetValueOrDefault("pg_user_dbuser_meta_password", "");
        var marker = $"boot-{DateTime.UtcNow:yyyyMMddHHmmss}";
        checks.Add(await PostgresChecks.WriteReadAsync(guest, 5432, "dbuser_dba", admin, marker, cancellationToken));
        checks.Add(await PostgresChecks.WriteReadAsync(guest, 5433, "dbuser_meta", meta, marker, cancellationToken));
        checks.Add(Platform is null ? CheckResult.Skip("PostgreSQL through :5433 is the bundle's major", "no --bundle given")
            : await PostgresChecks.MajorAsync(guest, 5433, "dbuser_meta", meta, Platform, cancellationToken));
        checks.Add(await PostgresChecks.WriteReadAsync(guest, 5436, "dbuser_dba", admin, marker, cancellationToken));
        checks.Add(await PostgresChecks.SeedObjectsAsync(guest, admin, "meta", "dbuser_meta", cancellationToken));
        checks.AddRange(await FidelityAsync(guest, shell, admin, marker, cancellationToken));
        var secrets = SecretLeaks.Of(credentials, await File.ReadAllTextAsync(seed, cancellationToken), seed);
        checks.Add(await PostgresChecks.NoSecretInStatementsAsync(guest, admin, secrets, cancellationToken));
        var logs = await shell.RunAsync(SecretLeaks.LogsCommand, cancellationToken);
        checks.Add(logs.Succeeded ? SecretLeaks.Judge(SecretLeaks.LogsCheck, "/pg/log/postgres and Patroni's journal", logs.StandardOutput, secrets)
            : new CheckResult(SecretLeaks.LogsCheck, false, Squash(logs.StandardError)));
        checks.Add(await InGuestAsync(shell, "haproxy.cfg (it holds the admin password) is not world-readable", $"sudo stat -c '%a %U:%G' {HaproxyConfig.Path}",
            o => o == "640 root:haproxy", cancellationToken));
        checks.Add(await HttpChecks.AllOneAsync(http, guest, _login, "VictoriaMetrics: pg_up == 1", "pg_up", ["pgsql"], TimeSpan.FromMinutes(2), cancellationToken));
        checks.Add(await InGuestAsync(shell, "patronictl list shows the leader", "sudo -u postgres patronictl -c /etc/patroni/patroni.yml list",
            o => o.Contains("Leader", StringComparison.Ordinal) && o.Contains("running", StringComparison.Ordinal), cancellationToken));
        checks.Add(await InGuestAsync(shell, "pgbackrest info shows a full backup", "sudo -u postgres pgbackrest --stanza=pg-meta info",
            o => o.Contains("full backup", StringComparison.Ordinal), cancellationToken));
        if (MinioSeed.Expect(await File.ReadAllTextAsync(seed, cancellationToken), seed) is { } minio)
        {
            checks.AddRange(await MinioChecks.RunAsync(console, minio, async (command, token) =>
            {
                var ran = await shell.RunAsync(command, token);
                return (ran.Succeeded, ran.StandardOutput + ran.StandardError);
            }, cancellationToken));
        }
        else
        {
            checks.Add(CheckResult.Skip(MinioChecks.ProvisionedCheck, $"MINIO skipped: {MinioChecks.SkipReason(console, "MINIO") ?? "the seed defines no minio cluster"}"));
        }

        checks.Add(await InGuestAsync(shell, "running the installer again changes nothing", $"sudo {NodeLayout.InstallerName} install --no-verify",
            o => o.Contains("nothing changed", StringComparison.Ordinal), cancellationToken, ChangedSteps));

        checks.AddRange(await RebootAsync(session, guest, shell, meta, marker, cancellationToken));
        using var bare = new GuestShell(key, _rebooted?.Port(22) ?? guest.Port(22), "dba");
        checks.Add(await BareInstallAsync(bare, cancellationToken));
        return checks;
    }

    /// <summary>
    /// Issue 13's exposure checks: the listeners beyond loopback are the documented ones; the monitoring APIs refuse requests
    /// without a login from outside (their forwarded ports reach nothing) and through nginx; no apt source trusts blindly.
    /// </summary>
    private async Task<IReadOnlyList<CheckResult>> ExposureAsync(BootedGuest guest, GuestShell shell, CancellationToken cancellationToken)
    {
        var inventory = InventoryLoader.Parse(await File.ReadAllTextAsync(seed, cancellationToken), seed);
        var listeners = await shell.RunAsync("sudo ss -ltnpH", cancellationToken);
        var sources = await shell.RunAsync("cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null", cancellationToken);
        Uri Outside(int port, string path) => guest.Http(port, path);
        Uri Portal(string path) => guest.Http(80, path);
        return
        [
            listeners.Succeeded
                ? ExposureChecks.Listeners(listeners.StandardOutput, ExposureChecks.DocumentedPorts(inventory))
                : new CheckResult(ExposureChecks.ListenersCheck, false, $"ss failed: {listeners.StandardError.Trim()}"),
            await ExposureChecks.RefusedAsync(http, "monitoring APIs refuse requests from outside (their ports are not reachable)",
            [
                (HttpMethod.Get, Outside(8428, "/api/v1/query?query=up")), (HttpMethod.Post, Outside(8428, "/api/v1/import")),
                (HttpMethod.Get, Outside(8880, "/api/v1/rules")), (HttpMethod.Get, Outside(9059, "/api/v2/silences")),
                (HttpMethod.Post, Outside(9059, "/api/v2/silences")), (HttpMethod.Get, Outside(9115, "/probe?module=http_2xx&target=127.0.0.1:8428")),
                (HttpMethod.Get, Outside(9428, "/select/logsql/query")), (HttpMethod.Get, Outside(3000, "/api/health")), (HttpMethod.Get, Outside(9001, "/")),
            ], null, cancellationToken),
            await ExposureChecks.RefusedAsync(http, "monitoring APIs and the portal refuse requests without a login through nginx",
            [
                (HttpMethod.Get, Portal("/")), (HttpMethod.Get, Portal("/status.json")),
                (HttpMethod.Get, Portal("/vmetrics/api/v1/query?query=up")), (HttpMethod.Post, Portal("/vmetrics/api/v1/import")),
                (HttpMethod.Post, Portal("/vmetrics/api/v1/admin/tsdb/delete_series?match[]=up")),
                (HttpMethod.Get, Portal("/vmalert/api/v1/rules")), (HttpMethod.Post, Portal("/alertmgr/api/v2/silences")),
                (HttpMethod.Get, Portal("/blackbox/probe?module=http_2xx&target=127.0.0.1:8428")),
            ], (Portal("/vmetrics/api/v1/query?query=up"), _login!), cancellationToken),
            sources.Succeeded || sources.StandardOutput.Length > 0
                ? ExposureChecks.AptSources(sources.StandardOutput)
                : new CheckResult(ExposureChecks.AptCheck, false, $"could not read the apt sources: {sources.StandardError.Trim()}"),
        ];
    }

    /// <summary>
    /// Issue 12's inventory fidelity in the booted VM, from the seed <see cref="BootTestSeed.WithFidelityAsync"/> wrote: the user with
    /// <c>state: absent</c> does not exist, the node_tune profile's sysctls are in effect, and the custom pg_services entry routes to the
    /// primary (a write through its port; 5433 and 5436, from the explicit pg_default_services, are written above).
    /// </summary>
    private static async Task<IReadOnlyList<CheckResult>> FidelityAsync(BootedGuest guest, GuestShell shell, string admin, string marker,
        CancellationToken cancellationToken)
    {
        var keys = BootTestSeed.TuneSysctls;
        var expected = string.Join('\n', keys.Select(k => k.Value));
        var service = await PostgresChecks.WriteReadAsync(guest, BootTestSeed.CustomServicePort, "dbuser_dba", admin, marker, cancellationToken);
        return
        [
            await PostgresChecks.RoleAbsentAsync(guest, admin, BootTestSeed.AbsentUser, "dbuser_meta", cancellationToken),
            await InGuestAsync(shell, $"node_tune {BootTestSeed.TuneProfile} is applied: {string.Join(", ", keys.Select(k => $"{k.Key} = {k.Value}"))}",
                $"/usr/sbin/sysctl -n {string.Join(' ', keys.Select(k => k.Key))}", o => o == expected, cancellationToken),
            service with { Name = $"pg_services {BootTestSeed.CustomServiceName} (:{BootTestSeed.CustomServicePort}, dest postgres, check /primary) takes a write: {service.Name}" },
        ];
    }

    /// <summary>Stops the second boot, if the checks made one.</summary>
    public async Task StopAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }
    }

    /// <summary>Power-on → PostgreSQL writable through 5433 (the HAProxy services step), and first boot's length.</summary>
    private void Timings(BootedGuest guest)
    {
        var lines = guest.Vm.Lines;
        var services = lines.FirstOrDefault(l => FirstBootConsole.MessageOf(l.Text)?.StartsWith(FirstBootConsole.StepStart("PGSQL") + "HAProxy services", StringComparison.Ordinal) == true);
        var start = lines.FirstOrDefault(l => FirstBootMilestone.Of(l.Text) == "firstboot-start");
        var done = lines.FirstOrDefault(l => FirstBootMilestone.Of(l.Text) == "done");
        if (services is not null)
        {
            Figures["power_on_to_pg_writes_5433"] = Math.Round(services.Elapsed.TotalSeconds, 1);
        }

        if (start is not null && done is not null)
        {
            Figures["first_boot_install"] = Math.Round((done.Elapsed - start.Elapsed).TotalSeconds, 1);
        }
    }

    private async Task<IReadOnlyList<CheckResult>> RebootAsync(BootSession session, BootedGuest guest, GuestShell shell, string password, string marker,
        CancellationToken cancellationToken)
    {
        await shell.RunAsync("sudo systemctl poweroff", cancellationToken, TimeSpan.FromSeconds(30));
        var halted = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!guest.Vm.HasExited && DateTime.UtcNow < halted)
        {
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }

        var clean = guest.Vm.HasExited;
        await guest.Vm.DisposeAsync();
        _second = await session.BootAsync(cancellationToken);
        _rebooted = new BootedGuest(_second);
        var login = await _second.WaitForPhaseAsync(BootPhase.Login, TimeSpan.FromMinutes(10), cancellationToken);
        if (login is not null)
        {
            Figures["reboot_to_login"] = Math.Round(login.Elapsed.TotalSeconds, 1);
        }

        // Services start by themselves; give PostgreSQL and the exporters time to come back before judging.
        var back = await RetryAsync(() => PostgresChecks.StillThereAsync(_rebooted, 5433, "dbuser_meta", password, marker, cancellationToken), TimeSpan.FromMinutes(5), cancellationToken);
        return
        [
            new CheckResult("the VM shuts down cleanly and boots again", clean && login is not null, !clean ? "did not power off within 3 minutes"
                : login is null ? $"no login prompt on the console within 10 minutes (see the second boot's serial log)" : $"login prompt {login.Elapsed.TotalSeconds:0} s after power-on"),
            back,
            await HttpChecks.AllOneAsync(http, _rebooted, _login!, "after the reboot every service is back (up == 1)", "up", ScrapedJobs(guest.Vm.Lines.Select(l => l.Text)), TimeSpan.FromMinutes(5), cancellationToken),
            new CheckResult("first boot does not run again after the reboot", !_second.Lines.Any(l => FirstBootMilestone.Of(l.Text) == "firstboot-start"),
                $"{ApplianceFiles.FirstBootUnitName} is conditioned on {NodeLayout.FirstBootDone}"),
        ];
    }

    /// <summary>The time a bare apt-get of the same packages takes in the same VM: every package first boot added to the image
    /// (what is installed now, less the image's package manifest) reinstalled, with services kept from starting.</summary>
    private async Task<CheckResult> BareInstallAsync(GuestShell shell, CancellationToken cancellationToken)
    {
        const string Name = "first boot ≤ 1.5 × a bare apt-get install of the same packages";
        var manifest = ArtifactNames.PackageManifestOf(image);
        if (!File.Exists(manifest))
        {
            return new CheckResult(Name, false, $"{manifest} (the image's package manifest) is missing, so the packages first boot added are unknown");
        }

        using var document = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(manifest, cancellationToken));
        var inImage = document.RootElement.GetProperty("packages").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToHashSet(StringComparer.Ordinal);
        var installed = await shell.RunAsync("dpkg-query -W -f='${Package}\\n'", cancellationToken);
        var added = installed.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !inImage.Contains(p)).ToList();
        if (!installed.Succeeded)
        {
            return new CheckResult(Name, false, $"could not list the packages first boot added: {installed.StandardError.Trim()}");
        }

        if (added.Count == 0)
        {
            // A preinstalled image: first boot installed nothing, which "first boot installed no package" checks; there is no install to time.
            return CheckResult.Skip(Name, "first boot added no package to the image (all preinstalled): no install to compare");
        }

        var packages = string.Join(' ', added);
        var script = "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; s=$(date +%s.%N); "
            + $"DEBIAN_FRONTEND=noninteractive apt-get install --reinstall -y -q -o Dpkg::Options::=--force-confold {packages} >/tmp/bare-install.log 2>&1; "
            + "rc=$?; e=$(date +%s.%N); rm -f /usr/sbin/policy-rc.d; awk -v s=$s -v e=$e -v rc=$rc 'BEGIN { printf \"%d %.1f\\n\", rc, e - s }'";
        // Handed over base64-encoded: ssh runs its command through the login shell, which would expand $s and $? before sudo's sh sees them.
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(script));
        var result = await shell.RunAsync($"echo {encoded} | base64 -d | sudo sh", cancellationToken, TimeSpan.FromMinutes(40));
        var parts = result.StandardOutput.Trim().Split(' ');
        if (parts.Length != 2 || parts[0] != "0" || !double.TryParse(parts[1], CultureInfo.InvariantCulture, out var seconds) || seconds <= 0)
        {
            return new CheckResult(Name, false, $"bare apt-get --reinstall of {added.Count} packages did not report its time: {result.StandardOutput}{result.StandardError}".Trim());
        }

        Figures["bare_apt_install"] = seconds;
        if (!Figures.TryGetValue("first_boot_install", out var install))
        {
            return new CheckResult(Name, false,
                string.Create(CultureInfo.InvariantCulture, $"bare apt-get --reinstall {seconds:0} s, but the console showed no first-boot start and end"));
        }

        var ratio = install / seconds;
        Figures["first_boot_over_bare_install"] = Math.Round(ratio, 2);
        return new CheckResult(Name, ratio <= 1.5,
            string.Create(CultureInfo.InvariantCulture, $"first boot install {install:0} s, bare apt-get --reinstall of the {added.Count} packages it added {seconds:0} s: {ratio:0.00}×"));
    }

    private static async Task<Dictionary<string, string>> CredentialsAsync(GuestShell shell, CancellationToken cancellationToken)
    {
        var result = await shell.RunAsync($"sudo cat {NodeLayout.CredentialsFile}", cancellationToken);
        return result.Succeeded && YamlReader.Parse(result.StandardOutput, "credentials.yml") is YamlMapping mapping
            ? mapping.Entries.ToDictionary(e => e.Key, e => e.Value.AsString(), StringComparer.Ordinal)
            : [];
    }

    private static async Task<CheckResult> InGuestAsync(GuestShell shell, string name, string command, Func<string, bool> accept, CancellationToken cancellationToken,
        Func<string, string>? describe = null)
    {
        var result = await shell.RunAsync(command, cancellationToken);
        var output = (result.StandardOutput + result.StandardError).Trim();
        var passed = result.Succeeded && accept(output);
        return new CheckResult(name, passed, Squash(passed || describe is null ? output : describe(output)));
    }

    private static Task<CheckResult> RetryAsync(Func<Task<CheckResult>> check, TimeSpan wait, CancellationToken cancellationToken) =>
        CheckRetry.UntilPassedAsync(check, wait, TimeSpan.FromSeconds(10), cancellationToken);

    private static string Squash(string text) => CheckRetry.Squash(text);

    /// <summary>The lines of a re-run that name a step that changed something or failed (the head of the output never reaches them).</summary>
    private static string ChangedSteps(string output)
    {
        var changed = output.Split('\n').Where(l => l.Contains(": done (", StringComparison.Ordinal) || l.Contains("FAILED", StringComparison.Ordinal)).ToList();
        return changed.Count == 0 ? output : string.Join('\n', changed);
    }

    /// <summary>The scrape jobs of every module that started on the console (from the registry), except probes such as ping, which up does not cover.</summary>
    private static List<string> ScrapedJobs(IEnumerable<string> console)
    {
        var started = console.Select(FirstBootMilestone.Of).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return InstallModules.Descriptors.Where(d => started.Contains(d.Key))
            .SelectMany(d => d.ScrapeJobs).Where(j => j.Probe is null).Select(j => j.Name).ToList();
    }
}
