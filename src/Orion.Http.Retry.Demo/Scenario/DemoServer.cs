using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;

namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port that behaves like a busy API. Requests go to
/// <c>/api/{endpoint}/{id}</c>; the server counts attempts per id, and the call with that id
/// scripts which attempts fail.
/// </summary>
internal sealed class DemoServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, DemoCall> _calls;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);

    private DemoServer(WebApplication app, IEnumerable<DemoCall> calls, TimeProvider clock)
    {
        _app = app;
        _calls = calls.ToDictionary(call => call.Id, StringComparer.Ordinal);
        _clock = clock;
    }

    /// <summary>Gets the server's address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts a server that runs the scripts of <paramref name="calls"/>, hanging on <paramref name="clock"/>.</summary>
    public static async Task<DemoServer> StartAsync(IEnumerable<DemoCall> calls, TimeProvider clock, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));

        var app = builder.Build();
        var server = new DemoServer(app, calls, clock);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Returns the number of attempts the server received for a call id.</summary>
    public int AttemptsFor(string id) => _attempts.TryGetValue(id, out var count) ? count : 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        var path = context.Request.Path.Value ?? string.Empty;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not ["api", var endpointName, var id]
            || !Enum.TryParse<DemoEndpoint>(endpointName, ignoreCase: true, out var endpoint)
            || !_calls.TryGetValue(id, out var call)
            || call.Endpoint != endpoint)
        {
            // 400 is retried by neither profile, so a wrong path ends the call at once.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"No scripted call at {path}.", aborted);
            return;
        }

        var attempt = _attempts.AddOrUpdate(id, 1, static (_, count) => count + 1);

        // The whole request is read before any failure, as a real API reads it before it
        // decides, so a reset comes after the server has taken the request.
        await context.Request.Body.CopyToAsync(Stream.Null, aborted);

        if (attempt <= call.FailingAttempts)
        {
            var answered = await FailAsync(context, call);
            if (!answered)
            {
                return;
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $$"""{"id":"{{id}}","attempt":{{attempt}}}"""),
            aborted);
    }

    /// <summary>
    /// Fails one attempt the way the call's endpoint fails. Returns <see langword="true"/> when the
    /// request should still get a 200 response, which happens when a hang ends before the client
    /// gives up.
    /// </summary>
    private async Task<bool> FailAsync(HttpContext context, DemoCall call)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        switch (call.Endpoint)
        {
            case DemoEndpoint.Quota:
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = call.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await response.WriteAsync("Too many requests.", aborted);
                return false;

            case DemoEndpoint.Inventory:
                response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await response.WriteAsync("Inventory is overloaded.", aborted);
                return false;

            case DemoEndpoint.Reports:
                response.StatusCode = StatusCodes.Status404NotFound;
                await response.WriteAsync("The report is not ready.", aborted);
                return false;

            case DemoEndpoint.Search:
                // The hang runs on the scaled clock, so it keeps its length relative to the
                // clients' timeouts at every time scale. A client that gives up aborts it.
                try
                {
                    await Task.Delay(call.Hang, _clock, aborted);
                    return true;
                }
                catch (OperationCanceledException) when (aborted.IsCancellationRequested)
                {
                    return false;
                }

            case DemoEndpoint.Orders:
                ResetConnection(context);
                return false;

            default:
                throw new InvalidOperationException($"Endpoint {call.Endpoint} has no failure behaviour.");
        }
    }

    /// <summary>
    /// Ends the request's connection with a TCP reset (linger 0, then abort). A clean close would
    /// let <c>SocketsHttpHandler</c> resend a bodiless request on its own, which would hide attempts
    /// from the retry handler.
    /// </summary>
    private static void ResetConnection(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not null)
        {
            socket.LingerState = new LingerOption(true, 0);
        }

        context.Abort();
    }
}
