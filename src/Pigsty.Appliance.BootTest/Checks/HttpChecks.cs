using System.Net.Http.Headers;
using System.Text.Json;
using Pigsty.Appliance.BootTest.Harness;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>
/// The monitoring stack and etcd, probed from the host through forwarded ports. The monitoring components listen on loopback
/// only, so the host reaches them as a person does: through nginx on port 80, with the portal login.
/// </summary>
internal static class HttpChecks
{
    /// <summary>200 from a health endpoint of the guest (through nginx when <paramref name="login"/> is given).</summary>
    public static async Task<CheckResult> HealthyAsync(HttpClient http, BootedGuest guest, string name, int port, string path, CancellationToken cancellationToken,
        AuthenticationHeaderValue? login = null)
    {
        var url = guest.Http(port, path);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Authorization = login;
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return new CheckResult(name, response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode} {Short(body)}");
        }
        catch (HttpRequestException e)
        {
            return new CheckResult(name, false, $"GET {path}: {e.Message}");
        }
    }

    /// <summary>etcd's /health (plain http on the metrics port) says "true".</summary>
    public static async Task<CheckResult> EtcdHealthAsync(HttpClient http, BootedGuest guest, CancellationToken cancellationToken)
    {
        var check = await HealthyAsync(http, guest, "etcd /health is true", 2381, "/health", cancellationToken);
        return check with { Passed = check.Passed && check.Detail.Contains("\"health\":\"true\"", StringComparison.Ordinal) };
    }

    /// <summary>
    /// Every series of a VictoriaMetrics instant query has the value 1 (polls: targets come up one scrape at a time); asked
    /// through nginx's <c>/vmetrics/</c> with the portal <paramref name="login"/>.
    /// </summary>
    public static async Task<CheckResult> AllOneAsync(HttpClient http, BootedGuest guest, AuthenticationHeaderValue login, string name, string query,
        IReadOnlyList<string> expectJobs, TimeSpan wait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + wait;
        var detail = "";
        while (true)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, guest.Http(80, $"/vmetrics/api/v1/query?query={Uri.EscapeDataString(query)}"));
                request.Headers.Authorization = login;
                using var response = await http.SendAsync(request, cancellationToken);
                var json = await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken);
                var series = JsonDocument.Parse(json).RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                    .Select(r => (Labels: r.GetProperty("metric"), Value: r.GetProperty("value")[1].GetString()))
                    .ToList();
                var jobs = series.Select(s => s.Labels.TryGetProperty("job", out var job) ? job.GetString() : null).OfType<string>().Distinct().Order().ToList();
                var down = series.Where(s => s.Value != "1").Select(s => s.Labels.ToString()).ToList();
                var missing = expectJobs.Except(jobs).ToList();
                detail = $"{series.Count} series, jobs {string.Join(", ", jobs)}" + (down.Count > 0 ? $"; not 1: {string.Join("; ", down)}" : "")
                    + (missing.Count > 0 ? $"; missing jobs: {string.Join(", ", missing)}" : "");
                if (series.Count > 0 && down.Count == 0 && missing.Count == 0)
                {
                    return new CheckResult(name, true, detail);
                }
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                detail = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                return new CheckResult(name, false, detail);
            }

            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        }
    }

    private static string Short(string text) => text.Length <= 120 ? text.Trim() : text[..120].Trim() + "…";
}
