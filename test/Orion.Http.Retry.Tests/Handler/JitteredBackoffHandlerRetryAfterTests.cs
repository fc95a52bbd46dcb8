using System.Globalization;
using System.Net;
using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Handler;

public class JitteredBackoffHandlerRetryAfterTests
{
    /// <summary>The batch profile's base delay, the largest spread added to a requested wait.</summary>
    private static readonly TimeSpan BatchBase = Ms(100);

    private RetryHarness _harness = null!;
    private HttpClient _client = null!;

    [SetUp]
    public void SetUp()
    {
        _harness = new RetryHarness();
        _client = _harness.CreateClient(OrionProfile.Batch, options => options.Mode = BackoffMode.Exponential);
    }

    [TearDown]
    public void TearDown()
    {
        _client.Dispose();
        _harness.Dispose();
    }

    [Test]
    public async Task SendAsync_RetryAfterSeconds_WaitsAtLeastRequestedAndAtMostOneBaseMore()
    {
        var endpoint = _harness.Serve(new ResponseScript().ThenRetryAfter(HttpStatusCode.ServiceUnavailable, "2").Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(_client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_harness.Mock.GetMatchCount(endpoint), Is.EqualTo(2));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(1));
            Assert.That(_harness.Clock.Waits[0], Is.InRange(Ms(2_000), Ms(2_000) + BatchBase));
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterDateSevenSecondsAhead_WaitsAtLeastSevenSeconds()
    {
        var date = HttpDate(_harness.Clock.GetUtcNow() + Ms(7_000));
        _harness.Serve(new ResponseScript().ThenRetryAfter(HttpStatusCode.TooManyRequests, date).Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(_client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(1));
            Assert.That(_harness.Clock.Waits[0], Is.InRange(Ms(7_000), Ms(7_000) + BatchBase));
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterDateWithDateHeader_MeasuredFromDateHeader()
    {
        var now = _harness.Clock.GetUtcNow();
        var script = new ResponseScript()
            .Then(HttpStatusCode.TooManyRequests, configure: response =>
            {
                response.Headers.Date = now - Ms(3_000);
                response.Headers.TryAddWithoutValidation("Retry-After", HttpDate(now + Ms(4_000)));
            })
            .Then(HttpStatusCode.OK);
        _harness.Serve(script);

        using var response = await _harness.GetAsync(_client);

        Assert.That(_harness.Clock.Waits[0], Is.InRange(Ms(7_000), Ms(7_000) + BatchBase));
    }

    [Test]
    public async Task SendAsync_RetryAfterAtMaxRetryAfter_WaitsExactlyRequested()
    {
        var client = _harness.CreateClient(OrionProfile.Batch, options => options.MaxRetryAfter = Ms(2_000));
        _harness.Serve(new ResponseScript().ThenRetryAfter(HttpStatusCode.ServiceUnavailable, "2").Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(client);

        Assert.That(_harness.Clock.Waits, Is.EqualTo(new[] { Ms(2_000) }));
    }

    [TestCase("abc")]
    [TestCase("-1")]
    [TestCase("1.5")]
    [TestCase("")]
    public async Task SendAsync_InvalidRetryAfter_WaitsEngineDelay(string value)
    {
        _harness.Serve(new ResponseScript().ThenRetryAfter(HttpStatusCode.ServiceUnavailable, value).Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(_client);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_harness.Clock.Waits, Is.EqualTo(new[] { Ms(200) }));
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterDateInPast_WaitsEngineDelay()
    {
        var date = HttpDate(_harness.Clock.GetUtcNow() - Ms(10_000));
        _harness.Serve(new ResponseScript().ThenRetryAfter(HttpStatusCode.TooManyRequests, date).Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(_client);

        Assert.That(_harness.Clock.Waits, Is.EqualTo(new[] { Ms(200) }));
    }

    [Test]
    public async Task SendAsync_RetryAfterThenEngineDelay_RetryNumberAdvances()
    {
        var script = new ResponseScript()
            .ThenRetryAfter(HttpStatusCode.ServiceUnavailable, "2")
            .Then(HttpStatusCode.ServiceUnavailable)
            .Then(HttpStatusCode.OK);
        _harness.Serve(script);

        using var response = await _harness.GetAsync(_client);

        Assert.Multiple(() =>
        {
            Assert.That(_harness.Clock.Waits, Has.Count.EqualTo(2));
            Assert.That(_harness.Clock.Waits[1], Is.EqualTo(Ms(400)), "the second retry uses the second delay of the schedule");
        });
    }

    [TestCase("60", 60_025L, 45_093L)]
    [TestCase("120", 120_025L, 67_575L)]
    public async Task SendAsync_DecorrelatedAfterRetryAfter_NextDelayGrowsFromWaitClampedToCap(string retryAfter, long firstWait, long secondWait)
    {
        // With every random draw at 0.25 the spread is 0.025 s, and the next decorrelated delay is
        // 0.1 s + 0.25 * (3 * previous - 0.1 s), where previous is the first wait clamped to the 90 s cap.
        var client = _harness.CreateClient(OrionProfile.Batch, options => options.RandomFactory = () => new FixedRandom(0.25));
        _harness.Serve(new ResponseScript()
            .ThenRetryAfter(HttpStatusCode.ServiceUnavailable, retryAfter)
            .Then(HttpStatusCode.ServiceUnavailable)
            .Then(HttpStatusCode.OK));

        using var response = await _harness.GetAsync(client);

        Assert.That(_harness.Clock.Waits, Is.EqualTo(Ms(firstWait, secondWait)));
    }

    private static string HttpDate(DateTimeOffset value) => value.ToString("R", CultureInfo.InvariantCulture);
}
