using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace Orion.Http.Retry.Tests.Reliability;

/// <summary>
/// Sends hostile and malformed <c>Retry-After</c> values: none may raise an exception or cause a
/// wait longer than <c>MaxRetryAfter</c> or the time left before <c>TotalTimeout</c>.
/// </summary>
public class HostileRetryAfterTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CapDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(60);

    private FakeTimeProvider _time = null!;
    private MockHttpMessageHandler _mock = null!;
    private List<RetryAttempt> _retries = null!;

    public enum DelaySource
    {
        /// <summary>The value is ignored: the wait is the engine's delay, within [base, cap].</summary>
        Engine,

        /// <summary>The wait is the server's request plus a spread of at most the base.</summary>
        RetryAfter,

        /// <summary>The value is valid but too long: the 503 is returned at once, without a wait.</summary>
        NoRetry,
    }

    /// <summary>
    /// Each case: the <c>Retry-After</c> header lines, the <c>Date</c> header (null for none), where
    /// the wait comes from, and the wait the server requested (for <see cref="DelaySource.RetryAfter"/>).
    /// </summary>
    public static IEnumerable<TestCaseData> HostileValues()
    {
        var now = Start;
        yield return Case("negative seconds", ["-5"], null, DelaySource.Engine);
        yield return Case("zero seconds", ["0"], null, DelaySource.RetryAfter, TimeSpan.Zero);
        yield return Case("fractional seconds", ["1.5"], null, DelaySource.Engine);
        yield return Case("not a number", ["abc"], null, DelaySource.Engine);
        yield return Case("seconds beyond Int32", ["99999999999"], null, DelaySource.NoRetry);
        yield return Case("seconds over MaxRetryAfter", ["45"], null, DelaySource.NoRetry);
        yield return Case("past date", [Http(now.AddHours(-1))], null, DelaySource.Engine);
        yield return Case("date ten years ahead", [Http(now.AddYears(10))], null, DelaySource.NoRetry);
        yield return Case("date against a skewed Date header", [Http(now.AddHours(-1).AddSeconds(5))], Http(now.AddHours(-1)), DelaySource.RetryAfter, TimeSpan.FromSeconds(5));
        yield return Case("date against the clock", [Http(now.AddSeconds(7))], null, DelaySource.RetryAfter, TimeSpan.FromSeconds(7));
        yield return Case("two headers", ["1", "2"], null, DelaySource.Engine);
        yield return Case("empty value", [string.Empty], null, DelaySource.Engine);
    }

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(Start);
        _mock = new MockHttpMessageHandler();
        _retries = [];
    }

    [TearDown]
    public void TearDown()
    {
        _mock.Dispose();
    }

    [TestCaseSource(nameof(HostileValues))]
    public async Task SendAsync_HostileRetryAfter_WaitStaysWithinLimits(string[] retryAfter, string? date, DelaySource source, TimeSpan requested)
    {
        _mock.Expect("http://api.test/resource").Respond(_ => ServiceUnavailable(retryAfter, date));
        _mock.Expect("http://api.test/resource").Respond(HttpStatusCode.OK);
        using var client = CreateClient(TotalTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/resource");

        using var response = await SendAdvancingClockAsync(client, request);

        var outcome = request.GetRetryOutcome();
        Assert.That(outcome, Is.Not.Null);
        if (source == DelaySource.NoRetry)
        {
            Assert.Multiple(() =>
            {
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
                Assert.That(outcome!.Attempts, Is.EqualTo(1));
                Assert.That(outcome.StopReason, Is.EqualTo(RetryStopReason.RetryAfterTooLong));
                Assert.That(outcome.TotalDelay, Is.EqualTo(TimeSpan.Zero));
                Assert.That(_retries, Is.Empty);
            });
            return;
        }

        Assert.That(_retries, Has.Count.EqualTo(1));
        var wait = _retries[0].Delay;
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(outcome!.Attempts, Is.EqualTo(2));
            Assert.That(outcome.TotalDelay, Is.EqualTo(wait));
            Assert.That(_retries[0].DelayFromRetryAfter, Is.EqualTo(source == DelaySource.RetryAfter));
            Assert.That(wait, Is.LessThanOrEqualTo(MaxRetryAfter));
            Assert.That(wait, Is.LessThan(TotalTimeout));
            if (source == DelaySource.RetryAfter)
            {
                Assert.That(wait, Is.InRange(requested, requested + BaseDelay));
            }
            else
            {
                Assert.That(wait, Is.InRange(BaseDelay, CapDelay));
            }
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterBeyondRemainingTime_ReturnsResponseWithoutWaiting()
    {
        _mock.Expect("http://api.test/resource").Respond(_ => ServiceUnavailable(["20"], null));
        using var client = CreateClient(TimeSpan.FromSeconds(10));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/resource");

        using var response = await SendAdvancingClockAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.TotalTimeout));
            Assert.That(request.GetRetryOutcome()?.TotalDelay, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_retries, Is.Empty);
        });
    }

    [Test]
    public async Task SendAsync_RetryAfterInsideRemainingTime_WaitEndsBeforeTotalTimeout()
    {
        var totalTimeout = TimeSpan.FromSeconds(9.5);
        _mock.Expect("http://api.test/resource").Respond(_ => ServiceUnavailable(["9"], null));
        _mock.Expect("http://api.test/resource").Respond(HttpStatusCode.OK);
        using var client = CreateClient(totalTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://api.test/resource");

        using var response = await SendAdvancingClockAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_retries, Has.Count.EqualTo(1));
            Assert.That(_retries[0].Delay, Is.InRange(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(9) + BaseDelay));
            Assert.That(_retries[0].Delay, Is.LessThan(totalTimeout));
        });
    }

    [TestCase("1", "2")]
    [TestCase("5", "5")]
    [TestCase("abc", "3")]
    public void TryGetDelay_RepeatedHeader_ReturnsNull(string first, string second)
    {
        using var response = ServiceUnavailable([first, second], null);

        var delay = Internal.RetryAfterParser.TryGetDelay(response, Start);

        Assert.That(delay, Is.Null);
    }

    private static TestCaseData Case(string name, string[] retryAfter, string? date, DelaySource source, TimeSpan requested = default) =>
        new TestCaseData(retryAfter, date, source, requested).SetArgDisplayNames(name);

    private static string Http(DateTimeOffset value) => value.ToString("r", CultureInfo.InvariantCulture);

    private static HttpResponseMessage ServiceUnavailable(string[] retryAfter, string? date)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("busy") };
        foreach (var value in retryAfter)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", value);
        }

        if (date is not null)
        {
            response.Headers.TryAddWithoutValidation("Date", date);
        }

        return response;
    }

    private HttpClient CreateClient(TimeSpan totalTimeout)
    {
        var options = new JitteredBackoffOptions
        {
            Base = BaseDelay,
            Cap = CapDelay,
            MaxRetries = 3,
            MaxRetryAfter = MaxRetryAfter,
            TotalTimeout = totalTimeout,
            OnRetry = _retries.Add,
            RandomFactory = () => new Random(7),
        };
        options.StatusRules[503] = new StatusRetryRule();
        options.RetryBudget.Enabled = false;
        return new HttpClient(new JitteredBackoffHandler(options, _time) { InnerHandler = _mock });
    }

    /// <summary>
    /// Sends the request and moves the fake clock in 25 ms steps while the call waits. The clock may
    /// pass the end of a wait by up to one step, so the tests leave more room than that before
    /// <c>TotalTimeout</c>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAdvancingClockAsync(HttpClient client, HttpRequestMessage request)
    {
        var call = client.SendAsync(request);
        while (!call.IsCompleted)
        {
            await Task.Delay(1);
            if (!call.IsCompleted)
            {
                _time.Advance(TimeSpan.FromMilliseconds(25));
            }
        }

        return await call;
    }
}
