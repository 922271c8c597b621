using Pigsty.Appliance.Core.Processes;
using Pigsty.Appliance.BootTest.Harness;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>The portal home page rendered by a real browser (headless Chromium): its script fetched status.json and shows it.</summary>
internal static class PortalCheck
{
    /// <summary>Loads the portal with <paramref name="login"/> (<c>user:password</c>) in the URL, as a person types it in.</summary>
    public static async Task<CheckResult> ShowsStatusAsync(IProcessRunner runner, BootedGuest guest, string work, string login, CancellationToken cancellationToken)
    {
        const string Name = "portal page shows the install status in headless Chromium";
        if (!File.Exists("/usr/bin/chromium"))
        {
            return new CheckResult(Name, false, "chromium is not installed (apt-get install chromium); BootTest's prerequisites install it");
        }

        var profile = Directory.CreateTempSubdirectory("pigsty-chromium-");
        try
        {
            var result = await runner.RunAsync(new ProcessSpec("/usr/bin/chromium",
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={profile.FullName}", "--virtual-time-budget=10000",
                "--dump-dom", new UriBuilder(guest.Http(80, "/")) { UserName = login[..login.IndexOf(':', StringComparison.Ordinal)], Password = login[(login.IndexOf(':', StringComparison.Ordinal) + 1)..] }.Uri.ToString(),
            ])
            {
                ThrowOnNonZeroExit = false,
                Timeout = TimeSpan.FromMinutes(2),
            }, cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(work, "portal.html"), result.StandardOutput, cancellationToken);
            var shown = ShowsDone(result.StandardOutput);
            return new CheckResult(Name, shown, shown ? "State: done, with the module and step tables (page saved as portal.html)"
                : $"status not shown ({StatusBox(result.StandardOutput)}); exit {result.ExitCode}; page saved as portal.html");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>The page drew a finished install: the state, the module and step tables, and the raw status.json folded away.</summary>
    internal static bool ShowsDone(string dom) =>
        dom.Contains("id=\"status\" class=\"ok\">State: done", StringComparison.Ordinal)
        && dom.Contains("<h3>Modules</h3>", StringComparison.Ordinal)
        && dom.Contains("<h3>Steps</h3>", StringComparison.Ordinal)
        && dom.Contains("<details><summary>status.json</summary>", StringComparison.Ordinal);

    /// <summary>What the page's status box says (the script writes why the status is missing there), shortened.</summary>
    internal static string StatusBox(string dom)
    {
        var start = dom.IndexOf("id=\"status\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "no status box in the page";
        }

        var text = dom[(dom.IndexOf('>', start) + 1)..];
        var end = text.IndexOf('<', StringComparison.Ordinal);
        text = (end < 0 ? text : text[..end]).Trim();
        return text.Length > 200 ? text[..200] + "…" : text;
    }
}
