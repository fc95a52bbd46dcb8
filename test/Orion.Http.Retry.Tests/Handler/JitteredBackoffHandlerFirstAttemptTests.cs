using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// The first attempt under an attempt timeout, which the handler starts before any per-call
/// state exists.
/// </summary>
public class JitteredBackoffHandlerFirstAttemptTests
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    [Test]
    public async Task SendAsync_SynchronousSuccessWithAttemptTimeout_ReturnsResponseAndDisposesTimer()
    {
        var time = new FakeTimeProvider();
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        var tokens = new List<CancellationToken>();
        using var invoker = CreateInvoker(time, (_, token) =>
        {
            tokens.Add(token);
            return Task.FromResult(ok);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/item");

        var response = await invoker.SendAsync(request, CancellationToken.None);
        time.Advance(AttemptTimeout * 2);

        Assert.Multiple(() =>
        {
            Assert.That(response, Is.SameAs(ok));
            Assert.That(request.GetRetryOutcome(), Is.Null);
            Assert.That(tokens, Has.Count.EqualTo(1));
            Assert.That(tokens[0].CanBeCanceled, Is.True);
            Assert.That(tokens[0].IsCancellationRequested, Is.False);
        });
    }

    [Test]
    public async Task SendAsync_SynchronousRetryableFirstAttempt_RetriesUnderNewTimer()
    {
        var time = new FakeTimeProvider();
        using var unavailable = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        var tokens = new List<CancellationToken>();
        using var invoker = CreateInvoker(time, (_, token) =>
        {
            tokens.Add(token);
            return Task.FromResult(tokens.Count == 1 ? unavailable : ok);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/item");

        var response = await invoker.SendAsync(request, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(response, Is.SameAs(ok));
            Assert.That(request.GetRetryOutcome()?.Attempts, Is.EqualTo(2));
            Assert.That(tokens, Has.Count.EqualTo(2));
            Assert.That(tokens[1], Is.Not.EqualTo(tokens[0]));
        });
    }

    [Test]
    public async Task SendAsync_FirstAttemptExceedsAttemptTimeout_RetriesAfterTimeout()
    {
        var time = new FakeTimeProvider();
        using var ok = new HttpResponseMessage(HttpStatusCode.OK);
        var attempts = 0;
        using var invoker = CreateInvoker(time, async (_, token) =>
        {
            attempts++;
            if (attempts == 1)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            }

            return ok;
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/item");

        var pending = invoker.SendAsync(request, CancellationToken.None);
        Assert.That(pending.IsCompleted, Is.False);
        time.Advance(AttemptTimeout);
        var response = await pending;

        Assert.Multiple(() =>
        {
            Assert.That(response, Is.SameAs(ok));
            Assert.That(attempts, Is.EqualTo(2));
            Assert.That(request.GetRetryOutcome()?.Attempts, Is.EqualTo(2));
        });
    }

    [Test]
    public void SendAsync_CallerCancelsFirstAttemptWithTimer_ThrowsWithCallerToken()
    {
        var time = new FakeTimeProvider();
        using var invoker = CreateInvoker(time, async (_, token) =>
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, token);
            throw new InvalidOperationException("The delay ended without cancellation.");
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/item");
        using var caller = new CancellationTokenSource();

        var pending = invoker.SendAsync(request, caller.Token);
        caller.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => pending);
        Assert.That(exception!.CancellationToken, Is.EqualTo(caller.Token));
    }

    private static HttpMessageInvoker CreateInvoker(TimeProvider time, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        var options = new JitteredBackoffOptions
        {
            Base = TimeSpan.Zero,
            Cap = TimeSpan.Zero,
            MaxRetries = 3,
            AttemptTimeout = AttemptTimeout,
        };
        options.StatusRules[503] = new StatusRetryRule();
        var handler = new JitteredBackoffHandler(options, time) { InnerHandler = new DelegateHandler(respond) };
        return new HttpMessageInvoker(handler);
    }

    private sealed class DelegateHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            respond(request, cancellationToken);
    }
}
