using System.Net;
using Microsoft.Extensions.Time.Testing;
using Orion.Http.Retry.Tests.Infrastructure;
using RichardSzalay.MockHttp;

namespace Orion.Http.Retry.Tests.Handler;

/// <summary>
/// Per-request limits, the retry outcome and the hooks. Delays follow the exponential schedule
/// (0.2 s, 0.4 s, 0.8 s) on a fake clock.
/// </summary>
public class PerRequestControlTests
{
    private const string Url = "http://orders.test/orders/7";
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private static readonly int[] ExpectedAttemptNumbers = [1, 2, 3];
    private static readonly double[] ExpectedDelaysMilliseconds = [200, 400, 800];

    private FakeTimeProvider _time = null!;
    private MockHttpMessageHandler _mock = null!;
    private AttemptCounter _counter = null!;
    private Queue<HttpStatusCode> _statuses = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider();
        _statuses = new Queue<HttpStatusCode>();
        _mock = new MockHttpMessageHandler();
        _mock.When(Url).Respond(_ => new HttpResponseMessage(_statuses.Count > 0 ? _statuses.Dequeue() : HttpStatusCode.ServiceUnavailable));
        _counter = new AttemptCounter(_mock);
    }

    [TearDown]
    public void TearDown()
    {
        _counter.Dispose();
        _mock.Dispose();
    }

    private static JitteredBackoffOptions ExponentialOptions() => new()
    {
        Base = TimeSpan.FromMilliseconds(100),
        Cap = TimeSpan.FromSeconds(10),
        Mode = BackoffMode.Exponential,
        MaxRetries = 3,
        StatusRules = { [503] = new StatusRetryRule() },
    };

    private HttpClient CreateClient(JitteredBackoffOptions options)
    {
        var handler = new JitteredBackoffHandler(options, _time) { InnerHandler = _counter };
        return new HttpClient(handler);
    }

    private Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request) =>
        ClockDriver.RunAsync(_time, () => client.SendAsync(request), Step);

    [Test]
    public async Task WithRetryLimits_MaxRetries_AppliesToThatCallOnly()
    {
        using var client = CreateClient(ExponentialOptions());
        using var limited = new HttpRequestMessage(HttpMethod.Get, Url).WithRetryLimits(maxRetries: 1);
        using var plain = new HttpRequestMessage(HttpMethod.Get, Url);

        using var limitedResponse = await SendAsync(client, limited);
        var limitedAttempts = _counter.Count;
        using var plainResponse = await SendAsync(client, plain);

        Assert.Multiple(() =>
        {
            Assert.That(limitedAttempts, Is.EqualTo(2));
            Assert.That(_counter.Count - limitedAttempts, Is.EqualTo(4));
            Assert.That(limited.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task WithRetryLimits_MaxRetriesAboveRule_RaisesLimitForThatCall()
    {
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url).WithRetryLimits(maxRetries: 5);

        using var response = await SendAsync(client, request);

        Assert.That(_counter.Count, Is.EqualTo(6));
    }

    [Test]
    public async Task WithRetryLimits_RetryTimeout_NoWaitBeginsAfterIt()
    {
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url).WithRetryLimits(retryTimeout: TimeSpan.FromMilliseconds(300));

        using var response = await SendAsync(client, request);

        // The first wait (0.2 s) begins at 0 s and the second (0.4 s) at 0.2 s, both before the
        // timeout. The third would begin at 0.6 s, after it.
        Assert.Multiple(() =>
        {
            Assert.That(_counter.Count, Is.EqualTo(3));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetryTimeout));
        });
    }

    [Test]
    public void WithRetryLimits_OutOfRange_Throws()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => request.WithRetryLimits(maxRetries: -1));
            Assert.Throws<ArgumentOutOfRangeException>(() => request.WithRetryLimits(maxRetries: 1001));
            Assert.Throws<ArgumentOutOfRangeException>(() => request.WithRetryLimits(retryTimeout: TimeSpan.Zero));
            Assert.Throws<ArgumentOutOfRangeException>(() => request.WithRetryLimits(retryTimeout: TimeSpan.FromHours(25)));
        });
    }

    [Test]
    public async Task WithoutRetries_AppliesToThatCallOnly()
    {
        using var client = CreateClient(ExponentialOptions());
        using var once = new HttpRequestMessage(HttpMethod.Get, Url).WithoutRetries();
        using var plain = new HttpRequestMessage(HttpMethod.Get, Url);

        using var onceResponse = await SendAsync(client, once);
        var onceAttempts = _counter.Count;
        using var plainResponse = await SendAsync(client, plain);

        Assert.Multiple(() =>
        {
            Assert.That(onceResponse.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(onceAttempts, Is.EqualTo(1));
            Assert.That(_counter.Count - onceAttempts, Is.EqualTo(4));
            Assert.That(once.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.RetriesDisabled));
        });
    }

    [Test]
    public async Task GetRetryOutcome_RetriedThenSucceeded_ReportsAttemptsDelayAndReason()
    {
        _statuses.Enqueue(HttpStatusCode.ServiceUnavailable);
        _statuses.Enqueue(HttpStatusCode.ServiceUnavailable);
        _statuses.Enqueue(HttpStatusCode.OK);
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        var outcome = request.GetRetryOutcome();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(outcome, Is.Not.Null);
            Assert.That(outcome!.Attempts, Is.EqualTo(3));
            Assert.That(outcome.TotalDelay, Is.EqualTo(TimeSpan.FromMilliseconds(600)));
            Assert.That(outcome.StopReason, Is.EqualTo(RetryStopReason.Completed));
        });
    }

    [Test]
    public async Task GetRetryOutcome_RetriesExhausted_ReportsRetryCount()
    {
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        var outcome = request.GetRetryOutcome();
        Assert.Multiple(() =>
        {
            Assert.That(outcome?.Attempts, Is.EqualTo(4));
            Assert.That(outcome?.TotalDelay, Is.EqualTo(TimeSpan.FromMilliseconds(1400)));
            Assert.That(outcome?.StopReason, Is.EqualTo(RetryStopReason.RetryCount));
        });
    }

    [Test]
    public async Task GetRetryOutcome_FirstAttemptSucceeded_NullAndOptionsUntouched()
    {
        _statuses.Enqueue(HttpStatusCode.OK);
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(request.GetRetryOutcome(), Is.Null);
            Assert.That(((IDictionary<string, object?>)request.Options).Keys, Has.None.StartsWith("Orion."));
        });
    }

    [Test]
    public async Task GetRetryOutcome_FirstAttemptSucceededWithTimeouts_NullAndOptionsUntouched()
    {
        _statuses.Enqueue(HttpStatusCode.OK);
        var options = ExponentialOptions();
        options.AttemptTimeout = TimeSpan.FromSeconds(10);
        options.TotalTimeout = TimeSpan.FromSeconds(30);
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(request.GetRetryOutcome(), Is.Null);
            Assert.That(((IDictionary<string, object?>)request.Options).Keys, Has.None.StartsWith("Orion."));
        });
    }

    [Test]
    public async Task OnRetry_EveryRetry_SeesAttemptStatusAndDelay()
    {
        var seen = new List<RetryAttempt>();
        var options = ExponentialOptions();
        options.OnRetry = seen.Add;
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(seen.Select(attempt => attempt.AttemptNumber), Is.EqualTo(ExpectedAttemptNumbers));
            Assert.That(seen.Select(attempt => attempt.Delay.TotalMilliseconds), Is.EqualTo(ExpectedDelaysMilliseconds));
            Assert.That(seen.Select(attempt => attempt.Response?.StatusCode), Is.All.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(seen.Select(attempt => attempt.Request), Is.All.SameAs(request));
            Assert.That(seen.Select(attempt => attempt.DelayFromRetryAfter), Is.All.False);
        });
    }

    [Test]
    public async Task ShouldRetry_ReturnsFalse_VetoesRetry()
    {
        var options = ExponentialOptions();
        options.ShouldRetry = attempt => attempt.AttemptNumber >= 2 ? false : null;
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(_counter.Count, Is.EqualTo(2));
            Assert.That(request.GetRetryOutcome()?.StopReason, Is.EqualTo(RetryStopReason.Declined));
        });
    }

    [Test]
    public async Task ShouldRetry_ReturnsFalseOnFirstAttempt_OneAttemptAndNoOutcome()
    {
        var options = ExponentialOptions();
        options.ShouldRetry = _ => false;
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(_counter.Count, Is.EqualTo(1));
            Assert.That(request.GetRetryOutcome(), Is.Null);
        });
    }

    [Test]
    public async Task ShouldRetry_ReturnsTrueForStatusWithoutRule_Retried()
    {
        _statuses.Enqueue(HttpStatusCode.Conflict);
        _statuses.Enqueue(HttpStatusCode.OK);
        var options = ExponentialOptions();
        options.ShouldRetry = attempt => attempt.Response?.StatusCode == HttpStatusCode.Conflict ? true : null;
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(_counter.Count, Is.EqualTo(2));
        });
    }

    [Test]
    public async Task RandomFactory_SeededSource_RepeatsDelaysAndIsCalledOncePerCall()
    {
        var factoryCalls = 0;
        var delays = new List<TimeSpan>();
        var options = ExponentialOptions();
        options.Mode = BackoffMode.DecorrelatedJitter;
        options.RandomFactory = () =>
        {
            factoryCalls++;
            return new Random(7);
        };
        options.OnRetry = attempt => delays.Add(attempt.Delay);
        using var client = CreateClient(options);
        using var first = new HttpRequestMessage(HttpMethod.Get, Url);
        using var second = new HttpRequestMessage(HttpMethod.Get, Url);

        using var firstResponse = await SendAsync(client, first);
        using var secondResponse = await SendAsync(client, second);

        Assert.Multiple(() =>
        {
            Assert.That(factoryCalls, Is.EqualTo(2));
            Assert.That(delays, Has.Count.EqualTo(6));
            Assert.That(delays.Skip(3), Is.EqualTo(delays.Take(3)));
        });
    }

    [Test]
    public async Task RandomFactory_FirstAttemptSucceeded_NotCalled()
    {
        _statuses.Enqueue(HttpStatusCode.OK);
        var factoryCalls = 0;
        var options = ExponentialOptions();
        options.RandomFactory = () =>
        {
            factoryCalls++;
            return new Random(7);
        };
        using var client = CreateClient(options);
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        using var response = await SendAsync(client, request);

        Assert.That(factoryCalls, Is.Zero);
    }

    [Test]
    public void Send_Synchronous_ThrowsNotSupportedNamingSendAsync()
    {
        using var client = CreateClient(ExponentialOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);

        var exception = Assert.Throws<NotSupportedException>(() => client.Send(request));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("synchronous HttpClient.Send"));
            Assert.That(exception.Message, Does.Contain("Call HttpClient.SendAsync instead."));
            Assert.That(_counter.Count, Is.Zero);
        });
    }
}
