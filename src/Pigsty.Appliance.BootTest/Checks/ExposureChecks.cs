using System.Net;
using System.Net.Http.Headers;
using Pigsty.Appliance.BootTest.Harness;
using Pigsty.Appliance.Core.Inventory;
using Pigsty.Appliance.Installer;
using Pigsty.Appliance.Installer.Modules;

namespace Pigsty.Appliance.BootTest.Checks;

/// <summary>What the booted appliance exposes: its listeners, its unauthenticated answers, its apt sources (issue 13).</summary>
internal static class ExposureChecks
{
    public const string ListenersCheck = "only documented listeners beyond loopback (ss -ltn)";

    public const string AptCheck = "no apt source says trusted=yes";

    /// <summary>The TCP ports the modules the inventory gives its first host document (what may listen beyond loopback).</summary>
    public static IReadOnlySet<int> DocumentedPorts(PigstyInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var host = inventory.Hosts[0];
        return ServicePort.ServedBy(InstallModules.Descriptors, inventory, host.Address, host.Vars).Where(p => !p.Port.Udp).Select(p => p.Number).ToHashSet();
    }

    /// <summary>
    /// Judges <c>ss -ltnpH</c>: every listener on an address other than loopback (wildcards included) must be on a documented
    /// port; the detail names each one that is not, with its process.
    /// </summary>
    public static CheckResult Listeners(string ss, IReadOnlySet<int> documented)
    {
        ArgumentNullException.ThrowIfNull(ss);
        ArgumentNullException.ThrowIfNull(documented);
        var exposed = new List<(string Local, int Port, string Process)>();
        foreach (var line in ss.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 4 || fields[0] != "LISTEN")
            {
                continue;
            }

            var local = fields[3];
            var colon = local.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(local.AsSpan(colon + 1), out var port) || IsLoopback(local[..colon]))
            {
                continue;
            }

            exposed.Add((local, port, fields.Length > 5 ? fields[5] : ""));
        }

        var undocumented = exposed.Where(e => !documented.Contains(e.Port)).ToList();
        return exposed.Count == 0
            ? new CheckResult(ListenersCheck, false, "ss listed no listener beyond loopback at all (not even sshd): the output was not understood")
            : new CheckResult(ListenersCheck, undocumented.Count == 0, undocumented.Count == 0
                ? $"{exposed.Select(e => e.Port).Distinct().Count()} ports beyond loopback, all documented: {string.Join(", ", exposed.Select(e => e.Port).Distinct().Order())}"
                : $"undocumented: {string.Join("; ", undocumented.Select(u => $"{u.Local} {u.Process}".Trim()))}");
    }

    /// <summary>Judges the concatenated apt sources of the node (one-line and deb822): none may turn signature checks off.</summary>
    public static CheckResult AptSources(string sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var lines = sources.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith('#')).ToList();
        var trusting = lines.Where(l => l.Replace(" ", "", StringComparison.Ordinal).Contains("trusted=yes", StringComparison.OrdinalIgnoreCase)
            || l.Replace(" ", "", StringComparison.Ordinal).StartsWith("Trusted:yes", StringComparison.OrdinalIgnoreCase)).ToList();
        var sourcesSeen = lines.Count(l => l.StartsWith("deb ", StringComparison.Ordinal) || l.StartsWith("URIs:", StringComparison.Ordinal));
        return sourcesSeen == 0
            ? new CheckResult(AptCheck, false, "no apt source found at all")
            : new CheckResult(AptCheck, trusting.Count == 0, trusting.Count == 0 ? $"{sourcesSeen} source(s), each checked by signature" : string.Join(" | ", trusting));
    }

    /// <summary>
    /// Sends each request without credentials: a refusal is a 401 or 403, or no HTTP answer at all (nothing listens there); any
    /// other answer is a finding. <paramref name="control"/> (with credentials) must succeed, so a dead nginx cannot pass the check.
    /// </summary>
    public static async Task<CheckResult> RefusedAsync(HttpClient http, string name, IReadOnlyList<(HttpMethod Method, Uri Url)> requests,
        (Uri Url, AuthenticationHeaderValue Login)? control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(requests);
        var answered = new List<string>();
        var refused = 0;
        foreach (var (method, url) in requests)
        {
            var status = await StatusAsync(http, method, url, null, cancellationToken);
            if (status is null or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                refused++;
            }
            else
            {
                answered.Add($"{method} {url.PathAndQuery} → {(int)status}");
            }
        }

        if (control is { } check)
        {
            var seen = await StatusAsync(http, HttpMethod.Get, check.Url, check.Login, cancellationToken);
            if (seen != HttpStatusCode.OK)
            {
                return new CheckResult(name, false, $"GET {check.Url.PathAndQuery} with the portal login → "
                    + $"{(seen is { } code ? ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture) : "no answer")}, so the refusals prove nothing");
            }
        }

        return new CheckResult(name, answered.Count == 0, answered.Count == 0
            ? $"{refused} unauthenticated requests refused{(control is null ? "" : "; with the login they are served")}"
            : $"answered without a login: {string.Join("; ", answered)}");
    }

    /// <summary>The status of one request, or null when no HTTP answer came (refused, reset, closed).</summary>
    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, HttpMethod method, Uri url, AuthenticationHeaderValue? login, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = login;
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("");
        }

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static bool IsLoopback(string host)
    {
        var bare = host.Trim('[', ']');
        var zone = bare.IndexOf('%', StringComparison.Ordinal);
        bare = zone >= 0 ? bare[..zone] : bare;
        return IPAddress.TryParse(bare, out var address) && (IPAddress.IsLoopback(address) || (address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address.MapToIPv4())));
    }
}
