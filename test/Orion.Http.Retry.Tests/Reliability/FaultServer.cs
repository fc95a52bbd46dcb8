using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orion.Http.Retry.Tests.Infrastructure;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// A Kestrel server on 127.0.0.1 and a free port that responds to each attempt as its script
/// specifies and records every attempt it receives.
/// </summary>
/// <remarks>
/// A request names its script in the <see cref="ScriptHeader"/> header. The server reads the whole
/// request body before it acts, so every recorded attempt carries the hash and length of the body
/// as received. Connections the server ends are ended with a TCP reset, never a clean close,
/// because <c>SocketsHttpHandler</c> silently resends a bodiless request when a connection closes
/// cleanly before any response byte.
/// </remarks>
internal sealed class FaultServer : IAsyncDisposable
{
    public const string ScriptHeader = "X-Fault-Script";

    /// <summary>The length of every response body the server sends, complete or not.</summary>
    public const int ResponseBodyLength = 512;

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FaultScript> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _openConnections = new(StringComparer.Ordinal);
    private int _nextScript;
    private int _attempts;
    private int _responsesSent;
    private int _faultsInjected;
    private int _connectionsOpened;
    private int _maxOpenConnections;
    private int _unknownScripts;

    private FaultServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Gets the server's address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the number of attempts received, over all scripts.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Gets the number of responses whose headers the server sent, complete or not.</summary>
    public int ResponsesSent => Volatile.Read(ref _responsesSent);

    /// <summary>Gets the number of attempts that met a fault: a status of 300 or more, a delay, a reset or a broken body.</summary>
    public int FaultsInjected => Volatile.Read(ref _faultsInjected);

    /// <summary>Gets the number of TCP connections accepted.</summary>
    public int ConnectionsOpened => Volatile.Read(ref _connectionsOpened);

    /// <summary>Gets the largest number of connections open at the same time.</summary>
    public int MaxOpenConnections => Volatile.Read(ref _maxOpenConnections);

    /// <summary>Gets the number of requests that named no known script.</summary>
    public int UnknownScripts => Volatile.Read(ref _unknownScripts);

    public static async Task<FaultServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();

        FaultServer? server = null;
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection => server!.TrackConnectionAsync(next, connection)));
        });

        var app = builder.Build();
        server = new FaultServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>
    /// Adds a script and returns its id. Attempt n gets step n, and attempts past the end get the
    /// last step again.
    /// </summary>
    public string AddScript(params FaultStep[] steps)
    {
        ArgumentOutOfRangeException.ThrowIfZero(steps.Length);

        var id = "s" + Interlocked.Increment(ref _nextScript).ToString(CultureInfo.InvariantCulture);
        _scripts[id] = new FaultScript(id, steps);
        return id;
    }

    /// <summary>Returns the attempts received for a script, in the order the server numbered them.</summary>
    public IReadOnlyList<ReceivedAttempt> AttemptsFor(string scriptId) => _scripts[scriptId].Received;

    /// <summary>Returns the number of responses whose headers the server sent for a script.</summary>
    public int ResponsesSentFor(string scriptId) => _scripts[scriptId].ResponsesSent;

    /// <summary>Drops every script and its records, so that a long run does not keep them.</summary>
    public void ClearScripts() => _scripts.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<(string Hash, long Length)> ReadBodyAsync(HttpRequest request)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexString(hash.GetHashAndReset()), length);
    }

    private static byte[] ResponseBody(string scriptId, int attempt, FaultStep step)
    {
        var text = new StringBuilder($"script {scriptId} attempt {attempt}: {step}\n");
        while (text.Length < ResponseBodyLength)
        {
            text.Append('.');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, ResponseBodyLength));
    }

    private static async Task<bool> WaitUnlessAbortedAsync(TimeSpan delay, CancellationToken aborted)
    {
        try
        {
            await Task.Delay(delay, aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task TrackConnectionAsync(ConnectionDelegate next, ConnectionContext connection)
    {
        Interlocked.Increment(ref _connectionsOpened);
        _openConnections[connection.ConnectionId] = 0;
        var open = _openConnections.Count;
        int max;
        while (open > (max = Volatile.Read(ref _maxOpenConnections)) && Interlocked.CompareExchange(ref _maxOpenConnections, open, max) != max)
        {
        }

        try
        {
            await next(connection);
        }
        finally
        {
            _openConnections.TryRemove(connection.ConnectionId, out _);
        }
    }

    /// <summary>
    /// Ends the connection with a reset. The connection leaves the open count first, so a client
    /// that sees the reset and opens a new connection never finds the old one still counted.
    /// </summary>
    private void Reset(HttpContext context)
    {
        _openConnections.TryRemove(context.Connection.Id, out _);
        LoopbackServer.ResetConnection(context);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var scriptId = context.Request.Headers[ScriptHeader].ToString();
        if (!_scripts.TryGetValue(scriptId, out var script))
        {
            Interlocked.Increment(ref _unknownScripts);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync($"No script named '{scriptId}'.");
            return;
        }

        var (hash, length) = await ReadBodyAsync(context.Request);
        var headers = context.Request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var target = context.Request.Path.ToString() + context.Request.QueryString.ToString();
        var (number, step) = script.Record(context.Request.Method, target, headers, hash, length, context.Connection.Id);
        Interlocked.Increment(ref _attempts);
        if (step.IsFault)
        {
            Interlocked.Increment(ref _faultsInjected);
        }

        var aborted = context.RequestAborted;
        var body = ResponseBody(scriptId, number, step);
        switch (step.Kind)
        {
            case FaultKind.Reset:
                Reset(context);
                return;

            case FaultKind.PartialStatusLine:
                // Kestrel has written nothing yet, so bytes sent on the socket itself are the first
                // bytes of the response. The pause lets the client read them before the reset.
                var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket
                    ?? throw new InvalidOperationException("The Kestrel transport exposes no socket, so a partial status line cannot be written.");
                await socket.SendAsync("HTTP/1.1 50"u8.ToArray(), System.Net.Sockets.SocketFlags.None, aborted);
                await WaitUnlessAbortedAsync(TimeSpan.FromMilliseconds(20), aborted);
                Reset(context);
                return;

            case FaultKind.StallBody:
            case FaultKind.AbortBody:
                context.Response.StatusCode = step.StatusCode;
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 4), aborted);
                await context.Response.Body.FlushAsync(aborted);
                script.ResponseSent();
                Interlocked.Increment(ref _responsesSent);
                if (step.Kind == FaultKind.StallBody)
                {
                    if (await WaitUnlessAbortedAsync(FaultStep.LongestStall, aborted))
                    {
                        await context.Response.Body.WriteAsync(body.AsMemory(body.Length / 4), aborted);
                    }

                    return;
                }

                // The pause lets the client parse the headers first. A reset that arrives before
                // them fails the attempt itself, which the handler may retry.
                await WaitUnlessAbortedAsync(TimeSpan.FromMilliseconds(100), aborted);
                Reset(context);
                return;

            default:
                if (step.HeaderDelay > TimeSpan.Zero && !await WaitUnlessAbortedAsync(step.HeaderDelay, aborted))
                {
                    return;
                }

                context.Response.StatusCode = step.StatusCode;
                foreach (var value in step.RetryAfter)
                {
                    context.Response.Headers.Append("Retry-After", value);
                }

                if (step.Date is not null)
                {
                    context.Response.Headers.Date = step.Date;
                }

                context.Response.ContentLength = body.Length;
                context.Response.ContentType = "text/plain";
                script.ResponseSent();
                Interlocked.Increment(ref _responsesSent);
                await context.Response.Body.WriteAsync(body, aborted);
                return;
        }
    }

    /// <summary>One script: its steps and the attempts received for it.</summary>
    private sealed class FaultScript(string id, FaultStep[] steps)
    {
        private readonly Lock _gate = new();
        private readonly List<ReceivedAttempt> _received = [];
        private int _responsesSent;

        public IReadOnlyList<ReceivedAttempt> Received
        {
            get
            {
                lock (_gate)
                {
                    return [.. _received];
                }
            }
        }

        public int ResponsesSent => Volatile.Read(ref _responsesSent);

        public (int Number, FaultStep Step) Record(string method, string target, IReadOnlyDictionary<string, string> headers, string hash, long length, string connectionId)
        {
            lock (_gate)
            {
                var number = _received.Count + 1;
                var step = steps[Math.Min(number, steps.Length) - 1];
                _received.Add(new ReceivedAttempt(id, number, method, target, headers, hash, length, connectionId, step));
                return (number, step);
            }
        }

        public void ResponseSent() => Interlocked.Increment(ref _responsesSent);
    }
}

/// <summary>One attempt as the fault server received it. The target is the path and the query string.</summary>
internal sealed record ReceivedAttempt(
    string ScriptId,
    int Number,
    string Method,
    string Target,
    IReadOnlyDictionary<string, string> Headers,
    string BodySha256,
    long BodyLength,
    string ConnectionId,
    FaultStep Step);
