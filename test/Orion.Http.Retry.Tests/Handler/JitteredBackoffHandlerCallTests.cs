using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

public class JitteredBackoffHandlerCallTests
{
    private RetryHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new RetryHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task SendAsync_Post503_ReturnedAfterOneAttempt()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);
        using var request = new HttpRequestMessage(HttpMethod.Post, "resource") { Content = new StringContent("payload") };

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
            Assert.That(response, Is.SameAs(script.Served[0]));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.MethodNotIdempotent));
        });
    }

    [Test]
    public async Task SendAsync_Post429_Retried()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.TooManyRequests).Then(HttpStatusCode.OK));
        var client = _harness.CreateClient(OrionProfile.Batch);
        using var request = new HttpRequestMessage(HttpMethod.Post, "resource") { Content = new StringContent("payload") };

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(2));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task SendAsync_CancelledDuringWait_ThrowsWithCallerTokenAndNoFurtherAttempt()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK));
        var client = _harness.CreateClient(OrionProfile.Batch);
        using var cancellation = new CancellationTokenSource();
        var call = client.GetAsync("resource", cancellation.Token);
        await _harness.Clock.WaitForPendingWaitsAsync();

        cancellation.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_harness.Clock.PendingWaits, Is.Zero);
        });
    }

    [Test]
    public async Task SendAsync_CancelledDuringWaitThroughInvoker_ThrowsWithCallerToken()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK));
        using var invoker = new HttpMessageInvoker(
            new JitteredBackoffHandler(RetryHarness.Options(OrionProfile.Batch), _harness.Clock) { InnerHandler = _harness.Mock },
            disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(RetryHarness.BaseAddress, "resource"));
        using var cancellation = new CancellationTokenSource();
        var call = invoker.SendAsync(request, cancellation.Token);
        await _harness.Clock.WaitForPendingWaitsAsync();

        cancellation.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task SendAsync_200ConcurrentCalls_EachGetsOwnAttemptsAndSpreadFirstDelay()
    {
        const int callCount = 200;
        var firstDelays = new ConcurrentDictionary<string, TimeSpan>();
        var client = _harness.CreateClient(OrionProfile.Interactive, options =>
        {
            // The retry budget would refuse retries beyond 0.2 x 200 calls + 10/s x 10 s = 140 in
            // the window, and this test counts the retries of each call.
            options.RetryBudget.Enabled = false;
            options.OnRetry = attempt =>
            {
                if (attempt.AttemptNumber == 1)
                {
                    firstDelays[attempt.Request.RequestUri!.AbsolutePath] = attempt.Delay;
                }
            };
        });

        // Call i fails with 503 (i % 5) times, and the interactive profile retries a 503 at most 3 times.
        var endpoints = Enumerable.Range(0, callCount)
            .Select(i => _harness.Serve(
                new ResponseScript().Then(HttpStatusCode.ServiceUnavailable, i % 5).Then(HttpStatusCode.OK),
                string.Create(CultureInfo.InvariantCulture, $"{RetryHarness.BaseAddress}calls/{i}")))
            .ToList();

        var calls = Enumerable.Range(0, callCount)
            .Select(i => client.GetAsync(string.Create(CultureInfo.InvariantCulture, $"calls/{i}")))
            .ToList();
        await _harness.Clock.RunAllAsync(calls);
        var responses = await Task.WhenAll(calls);

        var failures = new List<string>();
        for (var i = 0; i < callCount; i++)
        {
            var expectedAttempts = Math.Min(i % 5, 3) + 1;
            var expectedStatus = i % 5 == 4 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK;
            var attempts = _harness.Mock.GetMatchCount(endpoints[i]);
            if (attempts != expectedAttempts || responses[i].StatusCode != expectedStatus)
            {
                failures.Add($"call {i}: {attempts} attempts, {responses[i].StatusCode}");
            }

            responses[i].Dispose();
        }

        var delays = firstDelays.Values.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty);
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(callCount / 5 * (0 + 1 + 2 + 3 + 3)));
            Assert.That(delays, Has.Count.EqualTo(callCount * 4 / 5));
            Assert.That(delays, Has.All.InRange(Ms(100), Ms(300)));
            Assert.That(delays.Distinct().Count(), Is.EqualTo(delays.Count), "every call draws from its own random source");
            Assert.That(delays.Max() - delays.Min(), Is.GreaterThan(Ms(100)));
        });
    }

    [Test]
    public async Task SendAsync_Retries_DisposesDiscardedResponsesOnly()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable, 3).Then(HttpStatusCode.OK);
        _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);
        var content = new TrackedContent("payload");
        using var request = new TrackedRequest(HttpMethod.Put, "resource") { Content = content };

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        var served = script.Served;
        Assert.Multiple(() =>
        {
            Assert.That(served, Has.Count.EqualTo(4));
            Assert.That(served.Take(3).Select(IsDisposed), Has.All.True, "discarded responses");
            Assert.That(IsDisposed(served[3]), Is.False, "the returned response");
            Assert.That(request.IsDisposed, Is.False);
            Assert.That(content.IsDisposed, Is.False);
            Assert.That(request.Content, Is.SameAs(content));
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterRetries_DisposesDiscardedResponses()
    {
        var script = new ResponseScript().ThenRetryAfter(HttpStatusCode.TooManyRequests, "1", times: 2).Then(HttpStatusCode.OK);
        _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);

        using var response = await _harness.GetAsync(client);

        Assert.That(script.Served.Take(2).Select(IsDisposed), Has.All.True);
    }

    [Test]
    public async Task SendAsync_CancelledDuringAttempt_ThrowsWithCallerTokenAndNoFurtherAttempt()
    {
        var attemptStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var endpoint = _harness.ServeHanging(onAttempt: () => attemptStarted.TrySetResult());
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var cancellation = new CancellationTokenSource();
        var call = client.GetAsync("resource", cancellation.Token);
        await attemptStarted.Task;

        cancellation.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
        });
    }

    [Test]
    public async Task SendAsync_OptionsChangedAfterConstruction_KeepsCopiedOptions()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable));
        var options = RetryHarness.Options(OrionProfile.Interactive);
        using var client = new HttpClient(new JitteredBackoffHandler(options, _harness.Clock) { InnerHandler = _harness.Mock }, disposeHandler: false)
        {
            BaseAddress = RetryHarness.BaseAddress,
        };
        options.MaxRetries = 0;

        using var response = await _harness.GetAsync(client);

        Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(4));
    }

    [TestCase("GET", 4)]
    [TestCase("HEAD", 4)]
    [TestCase("OPTIONS", 4)]
    [TestCase("TRACE", 4)]
    [TestCase("PUT", 4)]
    [TestCase("DELETE", 4)]
    [TestCase("POST", 1)]
    [TestCase("PATCH", 1)]
    public async Task SendAsync_503ByMethod_RetriesIdempotentMethodsOnly(string method, int expectedAttempts)
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable));
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var request = new HttpRequestMessage(new HttpMethod(method), "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(expectedAttempts));
    }

    [Test]
    public async Task SendAsync_PostWithIdempotencyKey_Retried()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK));
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Post, "resource") { Content = new StringContent("payload") };
        request.Headers.Add("Idempotency-Key", "order-42");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(2));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task SendAsync_PostWithRetryNonIdempotent_Retried()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable).Then(HttpStatusCode.OK));
        var client = _harness.CreateClient(OrionProfile.Interactive, options => options.RetryNonIdempotent = true);
        using var request = new HttpRequestMessage(HttpMethod.Post, "resource") { Content = new StringContent("payload") };

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(2));
    }

    [Test]
    public void SendAsync_PostPastAttemptTimeout_NotRetried()
    {
        var endpoint = _harness.ServeHanging();
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Post, "resource") { Content = new StringContent("payload") };

        var call = _harness.Clock.RunAsync(client.SendAsync(request), advanceTimeouts: true);

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1), "the server may have processed the request");
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(10_000)));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.MethodNotIdempotent));
        });
    }

    private static bool IsDisposed(HttpResponseMessage response) => ((TrackedContent)response.Content).IsDisposed;
}
