using System.Net;
using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

public class JitteredBackoffHandlerInteractiveTests
{
    private RetryHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new RetryHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task SendAsync_404_ReturnedWithoutRetry()
    {
        var script = new ResponseScript().Then(HttpStatusCode.NotFound).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
            Assert.That(response, Is.SameAs(script.Served[0]));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(request.GetRetryOutcome(), Is.Null, "the first attempt ended the call");
        });
    }

    [Test]
    public async Task SendAsync_503FourTimes_ReturnsLast503After4Attempts()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable, 4).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Interactive);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(4));
            Assert.That(response, Is.SameAs(script.Served[3]));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task SendAsync_429RetryAfter30_ReturnsAfterOneAttemptWithoutWaiting()
    {
        var script = new ResponseScript().ThenRetryAfter(HttpStatusCode.TooManyRequests, "30").Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Interactive);
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(1));
            Assert.That(response, Is.SameAs(script.Served[0]));
            Assert.That(_harness.Clock.Waits, Is.Empty);
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryAfterTooLong));
        });
    }

    [Test]
    public void SendAsync_EveryAttemptHangs_EndsAtTotalTimeout()
    {
        var endpoint = _harness.ServeHanging();
        var client = _harness.CreateClient(OrionProfile.Interactive);

        var call = _harness.Clock.RunAsync(client.GetAsync("resource"), advanceTimeouts: true);

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(exception.Message, Does.Contain("TotalTimeout").And.Contain("attempts sent: 3"));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(30_000)));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(3), "10 s attempts, two short waits, then a third attempt cut at 30 s");
        });
    }
}
