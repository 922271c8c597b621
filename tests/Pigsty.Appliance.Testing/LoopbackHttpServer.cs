using System.Collections.Concurrent;
using System.Net;

namespace Pigsty.Appliance.Testing;

/// <summary>A real HTTP server on 127.0.0.1 for tests: each path answers with a handler the test sets.</summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, Func<HttpListenerContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public LoopbackHttpServer()
    {
        // A probed free port can be taken by a parallel test before we bind it: try again with another.
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePort.Next();
            BaseUri = new Uri($"http://127.0.0.1:{Port}/");
            _listener = new HttpListener();
            _listener.Prefixes.Add(BaseUri.ToString());
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The server root, ending with '/'.</summary>
    public Uri BaseUri { get; }

    /// <summary>How many requests reached <paramref name="path"/> (e.g. "/a/b").</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>Answers <paramref name="path"/> with a handler that writes the whole response.</summary>
    public void Map(string path, Func<HttpListenerContext, Task> handler) => _routes[path] = handler;

    /// <summary>Answers <paramref name="path"/> with these bytes and status 200.</summary>
    public void MapBytes(string path, byte[] body) => Map(path, context => Respond(context, 200, body));

    /// <summary>Writes a complete response, with a Content-Type when <paramref name="contentType"/> is given.</summary>
    public static async Task Respond(HttpListenerContext context, int status, byte[] body, string? contentType = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    public void Dispose()
    {
        try
        {
            // Close alone: after Stop, .NET's managed listener binds the port again just to remove its prefix, which fails
            // ("Address already in use") when another process took the port in between.
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The port is gone either way; nothing of the test's depends on it now.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener; its exceptions are not the test's concern.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (HttpListenerException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.AbsolutePath;
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        try
        {
            if (_routes.TryGetValue(path, out var handler))
            {
                await handler(context);
            }
            else
            {
                await Respond(context, 404, "not found"u8.ToArray());
            }
        }
        catch (HttpListenerException)
        {
            // The client went away or the handler aborted on purpose.
        }
        catch (ObjectDisposedException)
        {
            // Same.
        }
    }
}
