using System.Net;
using Microsoft.AspNetCore.Http;
using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// The handler over real sockets to a Kestrel server on 127.0.0.1, on the real clock with
/// millisecond-scale limits.
/// </summary>
public class JitteredBackoffHandlerLoopbackTests
{
    /// <summary>A bound on a call that should finish in milliseconds, so a stuck call fails the test instead of hanging it.</summary>
    private static readonly TimeSpan StuckCallLimit = TimeSpan.FromSeconds(20);

    [Test]
    public async Task SendAsync_AttemptHangsPastAttemptTimeout_RetriedAndReturns200()
    {
        var attempts = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await WaitUntilAbortedAsync(context);
                return;
            }

            await context.Response.WriteAsync("ready");
        });
        using var client = CreateClient(server, new SocketsHttpHandler(), options =>
        {
            options.AttemptTimeout = Ms(500);
            options.Base = Ms(10);
            options.Cap = Ms(10);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "slow");

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Volatile.Read(ref attempts), Is.EqualTo(2));
            Assert.That(request.GetRetryOutcome()?.Attempts, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task SendAsync_OneConnectionAndFive503sWithBodies_DiscardedResponsesFreeConnection()
    {
        var attempts = 0;
        var body = new byte[64 * 1024];
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref attempts) <= 5)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.Body.WriteAsync(body);
                return;
            }

            await context.Response.WriteAsync("ready");
        });
        using var client = CreateClient(server, new SocketsHttpHandler { MaxConnectionsPerServer = 1 }, options =>
        {
            options.Base = Ms(10);
            options.Cap = Ms(10);
        });
        using var stuck = new CancellationTokenSource(StuckCallLimit);

        // An undisposed 503 would keep the only connection, so the next attempt would wait for it
        // until the stuck-call limit cancels the call.
        using var response = await client.GetAsync("busy", stuck.Token);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Volatile.Read(ref attempts), Is.EqualTo(6));
        });
    }

    private static HttpClient CreateClient(LoopbackServer server, SocketsHttpHandler transport, Action<JitteredBackoffOptions> configure)
    {
        var handler = new JitteredBackoffHandler(RetryHarness.Options(OrionProfile.Batch, configure)) { InnerHandler = transport };
        return new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = StuckCallLimit };
    }

    private static async Task WaitUntilAbortedAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up on this attempt and closed the connection.
        }
    }
}
