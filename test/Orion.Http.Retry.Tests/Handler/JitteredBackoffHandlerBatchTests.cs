using System.Net;
using Orion.Http.Retry.Tests.Infrastructure;
using RichardSzalay.MockHttp;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

public class JitteredBackoffHandlerBatchTests
{
    private RetryHarness _harness = null!;

    [SetUp]
    public void SetUp() => _harness = new RetryHarness();

    [TearDown]
    public void TearDown() => _harness.Dispose();

    [Test]
    public async Task SendAsync_404NineTimes_ReturnsLast404After9Attempts()
    {
        var script = new ResponseScript().Then(HttpStatusCode.NotFound, 9).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(9));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response, Is.SameAs(script.Served[8]));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(8));
        });
    }

    [Test]
    public async Task SendAsync_404Then503Then200_Returns200After6Attempts()
    {
        var script = new ResponseScript()
            .Then(HttpStatusCode.NotFound, 3)
            .Then(HttpStatusCode.ServiceUnavailable, 2)
            .Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(6));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response, Is.SameAs(script.Served[5]));
        });
    }

    [Test]
    public async Task SendAsync_Exponential503Always_TenRetriesWait192Point2Seconds()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable));
        var client = _harness.CreateClient(OrionProfile.Batch, options => options.Mode = BackoffMode.Exponential);
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        var outcome = request.GetRetryOutcome();
        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(11));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(_harness.Clock.Waits, Is.EqualTo(FirstTenDoublingDelays));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(192_200)));
            Assert.That(outcome?.Attempts, Is.EqualTo(11));
            Assert.That(outcome?.TotalDelay, Is.EqualTo(Ms(192_200)));
            Assert.That(outcome?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task SendAsync_Exponential429FortySixTimes_46AttemptsWaiting3342Point2Seconds()
    {
        var script = new ResponseScript().Then(HttpStatusCode.TooManyRequests, 46).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch, options => options.Mode = BackoffMode.Exponential);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(46));
            Assert.That(response, Is.SameAs(script.Served[45]));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(45));
            Assert.That(_harness.Clock.TotalWait, Is.EqualTo(Ms(3_342_200)));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(3_342_200)));
        });
    }

    [Test]
    public async Task SendAsync_RetryTimeout300SecondsWith503Always_12Retries()
    {
        var endpoint = _harness.Serve(new ResponseScript().Then(HttpStatusCode.ServiceUnavailable));
        var client = _harness.CreateClient(OrionProfile.Batch, options =>
        {
            options.Mode = BackoffMode.Exponential;
            options.MaxRetries = 100;
            options.RetryTimeout = Ms(300_000);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        var waits = _harness.Clock.Waits;
        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(13));
            Assert.That(waits, Has.Count.EqualTo(12));
            Assert.That(_harness.Clock.TotalWait - waits[^1], Is.EqualTo(Ms(282_200)), "the 12th wait begins at 282.2 s");
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(372_200)));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryTimeout));
        });
    }

    [Test]
    public async Task SendAsync_TotalTimeout600With429RetryAfter250_ReturnsThirdAttemptAtOnce()
    {
        var script = new ResponseScript().ThenRetryAfter(HttpStatusCode.TooManyRequests, "250");
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch, options => options.TotalTimeout = Ms(600_000));
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        var waits = _harness.Clock.Waits;
        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(3));
            Assert.That(response, Is.SameAs(script.Served[2]));
            Assert.That(waits, Has.Count.EqualTo(2));
            Assert.That(waits, Has.All.InRange(Ms(250_000), Ms(250_100)));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(_harness.Clock.TotalWait), "no wait after the third attempt");
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.TotalTimeout));
        });
    }

    [Test]
    public async Task SendAsync_404AfterNine503s_StoppedByThe404Row()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable, 9).Then(HttpStatusCode.NotFound).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch);

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(10), "nine retries already exceed the 404 row's eight");
            Assert.That(response, Is.SameAs(script.Served[9]));
        });
    }

    [Test]
    public async Task SendAsync_WaitCannotEndBeforeTotalTimeout_ReturnsLastResponseAtOnce()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch, options =>
        {
            options.Mode = BackoffMode.Exponential;
            options.TotalTimeout = Ms(1_000);
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, "resource");

        using var response = await _harness.Clock.RunAsync(client.SendAsync(request));

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(3), "the third wait of 0.8 s would end at 1.4 s");
            Assert.That(response, Is.SameAs(script.Served[2]));
            Assert.That(_harness.Clock.Waits, Is.EqualTo(Ms(200, 400)));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(600)));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.TotalTimeout));
        });
    }

    [Test]
    public void SendAsync_EveryAttemptPastAttemptTimeout_ThrowsTimeoutAfterLastRetry()
    {
        var endpoint = _harness.ServeHanging();
        var client = _harness.CreateClient(OrionProfile.Batch, options =>
        {
            options.Mode = BackoffMode.Exponential;
            options.MaxRetries = 2;
            options.AttemptTimeout = Ms(1_000);
        });

        var call = _harness.Clock.RunAsync(client.GetAsync("resource"), advanceTimeouts: true);

        var exception = Assert.ThrowsAsync<TaskCanceledException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(exception.Message, Does.Contain("AttemptTimeout").And.Contain("Attempt 3"));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(3));
            Assert.That(_harness.Clock.Elapsed, Is.EqualTo(Ms(3_600)), "three attempts of 1 s and waits of 0.2 s and 0.4 s");
        });
    }

    [Test]
    public void SendAsync_ConnectionErrorEveryAttempt_RethrowsLastExceptionAfterTenRetries()
    {
        var errors = new List<HttpRequestException>();
        var endpoint = _harness.Mock.When("*").Respond(_ =>
        {
            var error = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused.");
            errors.Add(error);
            throw error;
        });
        var client = _harness.CreateClient(OrionProfile.Batch);

        var call = _harness.Clock.RunAsync(client.GetAsync("resource"));

        var exception = Assert.ThrowsAsync<HttpRequestException>(() => call);
        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(11));
            Assert.That(exception, Is.SameAs(errors[^1]));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(10));
        });
    }

    [Test]
    public async Task SendAsync_WithoutAttemptTimers_StillRetries()
    {
        var script = new ResponseScript().Then(HttpStatusCode.ServiceUnavailable, 2).Then(HttpStatusCode.OK);
        var endpoint = _harness.Serve(script);
        var client = _harness.CreateClient(OrionProfile.Batch, options =>
        {
            options.Mode = BackoffMode.Exponential;
            options.AttemptTimeout = null;
        });

        using var response = await _harness.GetAsync(client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(3));
            Assert.That(response, Is.SameAs(script.Served[2]));
            Assert.That(_harness.Clock.Waits, Is.EqualTo(Ms(200, 400)));
        });
    }
}
