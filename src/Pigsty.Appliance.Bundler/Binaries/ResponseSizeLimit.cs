using Pigsty.Appliance.Core.Errors;

namespace Pigsty.Appliance.Bundler.Binaries;

/// <summary>Reads each response body into memory up to a limit before Octokit reads it as one string: a runaway API reply
/// stops here with an error, not in an out-of-memory.</summary>
internal sealed class ResponseSizeLimit(long maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            using var body = new MemoryStream();
            await using (var input = await response.Content.ReadAsStreamAsync(cancellationToken))
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    body.Write(buffer, 0, read);
                    if (body.Length > maxBytes)
                    {
                        throw new IntegrityException($"GET {request.RequestUri} sent more than {maxBytes} bytes");
                    }
                }
            }

            var limited = new ByteArrayContent(body.ToArray());
            foreach (var (name, values) in response.Content.Headers.Where(h => h.Key != "Content-Length"))
            {
                limited.Headers.TryAddWithoutValidation(name, values);
            }

            response.Content.Dispose();
            response.Content = limited;
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
