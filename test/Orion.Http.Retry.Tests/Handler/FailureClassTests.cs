using System.Net;
using Microsoft.AspNetCore.Http;
using Orion.Http.Retry.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// Which failures are retried for which requests, with network failures made by a real server
/// on 127.0.0.1. Base and cap are zero, so no test waits between attempts.
/// </summary>
public class FailureClassTests
{
    private const int MaxRetries = 3;

    private static JitteredBackoffOptions ZeroDelayOptions() => new()
    {
        Base = TimeSpan.Zero,
        Cap = TimeSpan.Zero,
        MaxRetries = MaxRetries,
        StatusRules = { [503] = new StatusRetryRule() },
    };

    private static (HttpClient Client, AttemptCounter Counter) CreateClient(JitteredBackoffOptions options, HttpMessageHandler? primary = null)
    {
        var counter = new AttemptCounter(primary ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
        var handler = new JitteredBackoffHandler(options) { InnerHandler = counter };
        return (new HttpClient(handler), counter);
    }

    [Test]
    public void SendAsync_ConnectionRefusedPost_RetriedUpToLimit()
    {
        var (client, counter) = CreateClient(ZeroDelayOptions());
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{LoopbackServer.FreePort()}/orders")
        {
            Content = new StringContent("{}"),
        };

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.HttpRequestError, Is.EqualTo(HttpRequestError.ConnectionError));
            Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
            Assert.That(request.GetRetryOutcome()?.Attempts, Is.EqualTo(MaxRetries + 1));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task SendAsync_PutResetAfterServerReadBody_Retried()
    {
        var serverAttempts = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref serverAttempts);
            await context.Request.Body.CopyToAsync(Stream.Null);
            LoopbackServer.ResetConnection(context);
        });
        var (client, counter) = CreateClient(ZeroDelayOptions());
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(server.BaseAddress, "orders/7"))
        {
            Content = new StringContent("{\"quantity\":2}"),
        };

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.HttpRequestError, Is.AnyOf(HttpRequestError.ResponseEnded, HttpRequestError.Unknown));
            Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
            Assert.That(Volatile.Read(ref serverAttempts), Is.EqualTo(MaxRetries + 1));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task SendAsync_PostResetAfterServerReadBody_NotRetried()
    {
        var serverAttempts = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref serverAttempts);
            await context.Request.Body.CopyToAsync(Stream.Null);
            LoopbackServer.ResetConnection(context);
        });
        var (client, counter) = CreateClient(ZeroDelayOptions());
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "orders"))
        {
            Content = new StringContent("{\"quantity\":2}"),
        };

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.HttpRequestError, Is.AnyOf(HttpRequestError.ResponseEnded, HttpRequestError.Unknown));
            Assert.That(counter.Count, Is.EqualTo(1));
            Assert.That(Volatile.Read(ref serverAttempts), Is.EqualTo(1));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.MethodNotIdempotent));
        });
    }

    [Test]
    public async Task SendAsync_PostResetWithIdempotencyKey_Retried()
    {
        var serverAttempts = 0;
        await using var server = await LoopbackServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref serverAttempts);
            await context.Request.Body.CopyToAsync(Stream.Null);
            LoopbackServer.ResetConnection(context);
        });
        var (client, counter) = CreateClient(ZeroDelayOptions());
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, "orders"))
        {
            Content = new StringContent("{\"quantity\":2}"),
        };
        request.Headers.Add("Idempotency-Key", "order-7");

        Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
            Assert.That(Volatile.Read(ref serverAttempts), Is.EqualTo(MaxRetries + 1));
        });
    }

    [Test]
    public async Task SendAsync_HttpsToPlainHttpPort_NotRetried()
    {
        var serverAttempts = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            Interlocked.Increment(ref serverAttempts);
            return Task.CompletedTask;
        });
        var (client, counter) = CreateClient(ZeroDelayOptions());
        using var _ = client;
        var address = new UriBuilder(server.BaseAddress) { Scheme = Uri.UriSchemeHttps, Path = "orders" }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, address);

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.HttpRequestError, Is.EqualTo(HttpRequestError.SecureConnectionError));
            Assert.That(counter.Count, Is.EqualTo(1));
            Assert.That(Volatile.Read(ref serverAttempts), Is.Zero);
            Assert.That(request.GetRetryOutcome(), Is.Null);
        });
    }

    [Test]
    public async Task SendAsync_Post503WithIdempotencyKey_Retried()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Respond(HttpStatusCode.ServiceUnavailable);
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders.test/orders") { Content = new StringContent("{}") };
        request.Headers.Add("Idempotency-Key", "order-7");

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task SendAsync_Post503WithoutIdempotencyKey_NotRetried()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Respond(HttpStatusCode.ServiceUnavailable);
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders.test/orders") { Content = new StringContent("{}") };

        using var response = await client.SendAsync(request);

        Assert.Multiple(() =>
        {
            Assert.That(counter.Count, Is.EqualTo(1));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.MethodNotIdempotent));
        });
    }

    [Test]
    public async Task SendAsync_Post503WithRetryNonIdempotent_Retried()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Respond(HttpStatusCode.ServiceUnavailable);
        var options = ZeroDelayOptions();
        options.RetryNonIdempotent = true;
        var (client, counter) = CreateClient(options, mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders.test/orders") { Content = new StringContent("{}") };

        using var response = await client.SendAsync(request);

        Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
    }

    [Test]
    public async Task SendAsync_Post429WithoutIdempotencyKey_Retried()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Respond(HttpStatusCode.TooManyRequests);
        var options = ZeroDelayOptions();
        options.StatusRules[429] = new StatusRetryRule();
        var (client, counter) = CreateClient(options, mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders.test/orders") { Content = new StringContent("{}") };

        using var response = await client.SendAsync(request);

        Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
    }

    [TestCase(HttpRequestError.ConnectionError, "POST", 4)]
    [TestCase(HttpRequestError.NameResolutionError, "POST", 4)]
    [TestCase(HttpRequestError.ProxyTunnelError, "POST", 4)]
    [TestCase(HttpRequestError.ResponseEnded, "GET", 4)]
    [TestCase(HttpRequestError.ResponseEnded, "POST", 1)]
    [TestCase(HttpRequestError.HttpProtocolError, "DELETE", 4)]
    [TestCase(HttpRequestError.HttpProtocolError, "PATCH", 1)]
    [TestCase(HttpRequestError.SecureConnectionError, "GET", 1)]
    [TestCase(HttpRequestError.ConfigurationLimitExceeded, "GET", 1)]
    [TestCase(HttpRequestError.UserAuthenticationError, "GET", 1)]
    [TestCase(HttpRequestError.VersionNegotiationError, "GET", 1)]
    [TestCase(HttpRequestError.InvalidResponse, "GET", 1)]
    public void SendAsync_RequestError_RetriedPerFailureTable(HttpRequestError error, string method, int expectedAttempts)
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Throw(new HttpRequestException(error, "Simulated failure."));
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://orders.test/orders");

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.HttpRequestError, Is.EqualTo(error));
            Assert.That(counter.Count, Is.EqualTo(expectedAttempts));
        });
    }

    [TestCase("GET", 4)]
    [TestCase("POST", 1)]
    public void SendAsync_UnknownErrorWithSocketCause_RetriedWhenIdempotent(string method, int expectedAttempts)
    {
        using var mock = new MockHttpMessageHandler();
        var cause = new IOException("Connection reset.", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionReset));
        mock.When("http://orders.test/*").Throw(new HttpRequestException(HttpRequestError.Unknown, "Simulated failure.", cause));
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://orders.test/orders");

        Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.That(counter.Count, Is.EqualTo(expectedAttempts));
    }

    [Test]
    public void SendAsync_UnknownErrorWithoutNetworkCause_NotRetried()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Throw(new HttpRequestException(HttpRequestError.Unknown, "Simulated failure.", new FormatException("bad")));
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://orders.test/orders");

        Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.That(counter.Count, Is.EqualTo(1));
    }

    [Test]
    public void SendAsync_ConnectTimeoutPost_RetriedUpToLimit()
    {
        using var mock = new MockHttpMessageHandler();
        mock.When("http://orders.test/*").Throw(new TaskCanceledException("Connect timed out.", new TimeoutException("Connect timed out.")));
        var (client, counter) = CreateClient(ZeroDelayOptions(), mock);
        using var _ = client;
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders.test/orders") { Content = new StringContent("{}") };

        Assert.ThrowsAsync<TaskCanceledException>(() => client.SendAsync(request));

        Assert.That(counter.Count, Is.EqualTo(MaxRetries + 1));
    }
}
