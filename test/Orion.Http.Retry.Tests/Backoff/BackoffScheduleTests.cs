using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests;

public class BackoffScheduleTests
{
    private SteppingTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new SteppingTimeProvider();

    [Test]
    public async Task DelayAsync_ExponentialTenRetries_WaitsDoublingSchedule()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential, timeProvider: _clock);

        var returned = await _clock.RunAsync(DelaySequenceAsync(engine, 10));

        Assert.Multiple(() =>
        {
            Assert.That(_clock.Waits, Is.EqualTo(FirstTenDoublingDelays));
            Assert.That(returned, Is.EqualTo(FirstTenDoublingDelays));
            Assert.That(_clock.Elapsed, Is.EqualTo(Ms(192_200)));
        });
    }

    [TestCase(8, 51_000)]
    [TestCase(10, 192_200)]
    [TestCase(45, 3_342_200)]
    public async Task DelayAsync_ExponentialRetries_ClockAdvancesByExactSum(int retries, long expectedMilliseconds)
    {
        var engine = new Backoff(mode: BackoffMode.Exponential, timeProvider: _clock);

        var returned = await _clock.RunAsync(DelaySequenceAsync(engine, retries));

        Assert.Multiple(() =>
        {
            Assert.That(_clock.Elapsed, Is.EqualTo(Ms(expectedMilliseconds)));
            Assert.That(_clock.TotalWait, Is.EqualTo(Ms(expectedMilliseconds)));
            Assert.That(returned.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay), Is.EqualTo(Ms(expectedMilliseconds)));
            Assert.That(engine.RetryNumber, Is.EqualTo(retries));
        });
    }

    [Test]
    public void Plan_RetryTimeout300SecondsWithoutCountLimit_Plans12Retries()
    {
        var plan = Backoff.Plan(Ms(100), Ms(90_000), maxRetries: null, retryTimeout: Ms(300_000));

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.Count.EqualTo(12));
            Assert.That(plan[^1].WaitBegins, Is.EqualTo(Ms(282_200)));
            Assert.That(plan[^1].CumulativeWait, Is.EqualTo(Ms(372_200)));
        });
    }

    [TestCase(null, 192_200L, 10)]
    [TestCase(45, 3_600_000L, 45)]
    [TestCase(null, 3_600_000L, 48)]
    [TestCase(10, null, 10)]
    [TestCase(0, null, 0)]
    public void Plan_Limits_StopsAtFirstLimit(int? maxRetries, long? retryTimeoutMilliseconds, int expectedRetries)
    {
        TimeSpan? retryTimeout = retryTimeoutMilliseconds is { } ms ? Ms(ms) : null;

        var plan = Backoff.Plan(Ms(100), Ms(90_000), maxRetries, retryTimeout);

        Assert.That(plan, Has.Count.EqualTo(expectedRetries));
    }

    [Test]
    public void Plan_OneHourWithoutCountLimit_LastWaitBeginsBeforeTheHour()
    {
        var plan = Backoff.Plan(Ms(100), Ms(90_000), maxRetries: null, retryTimeout: Ms(3_600_000));

        Assert.Multiple(() =>
        {
            Assert.That(plan[^1].WaitBegins, Is.LessThan(Ms(3_600_000)));
            Assert.That(plan[^1].CumulativeWait, Is.GreaterThanOrEqualTo(Ms(3_600_000)));
        });
    }

    [Test]
    public void Plan_TenRetries_MatchesDoublingScheduleAndItsRunningSum()
    {
        var plan = Backoff.Plan(Ms(100), Ms(90_000), maxRetries: 10, retryTimeout: null);

        var cumulative = TimeSpan.Zero;
        for (var i = 0; i < plan.Count; i++)
        {
            cumulative += FirstTenDoublingDelays[i];
            Assert.Multiple(() =>
            {
                Assert.That(plan[i].Retry, Is.EqualTo(i + 1));
                Assert.That(plan[i].Delay, Is.EqualTo(FirstTenDoublingDelays[i]));
                Assert.That(plan[i].CumulativeWait, Is.EqualTo(cumulative));
            });
        }

        Assert.That(cumulative, Is.EqualTo(Ms(192_200)));
    }

    [Test]
    public void Plan_WithoutAnyLimit_StopsAt1000Retries()
    {
        var plan = Backoff.Plan(Ms(100), Ms(90_000), maxRetries: null, retryTimeout: null);

        Assert.That(plan, Has.Count.EqualTo(1000));
    }

    [Test]
    public void DoublingDelay_FirstTenRetryNumbers_ReturnsDoublingSchedule()
    {
        var engine = new Backoff();

        var delays = Enumerable.Range(1, 10).Select(n => engine.DoublingDelay(n)).ToArray();

        Assert.That(delays, Is.EqualTo(FirstTenDoublingDelays));
    }

    [TestCase(10)]
    [TestCase(61)]
    [TestCase(62)]
    [TestCase(63)]
    [TestCase(64)]
    [TestCase(1000)]
    [TestCase(int.MaxValue)]
    public void DoublingDelay_LargeRetryNumber_ReturnsCap(int retryNumber)
    {
        var engine = new Backoff();

        var instanceDelay = engine.DoublingDelay(retryNumber);
        var staticDelay = Backoff.DoublingDelay(retryNumber, Ms(100), Ms(90_000));

        Assert.Multiple(() =>
        {
            Assert.That(instanceDelay, Is.EqualTo(Ms(90_000)));
            Assert.That(staticDelay, Is.EqualTo(Ms(90_000)));
        });
    }

    [Test]
    public void DoublingDelay_LargestBaseAndCapAtIntMaxValue_ReturnsCap()
    {
        var delay = Backoff.DoublingDelay(int.MaxValue, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

        Assert.That(delay, Is.EqualTo(TimeSpan.FromHours(1)));
    }

    [TestCase(1)]
    [TestCase(int.MaxValue)]
    public void DoublingDelay_ZeroBase_ReturnsZero(int retryNumber)
    {
        var delay = Backoff.DoublingDelay(retryNumber, TimeSpan.Zero, Ms(90_000));

        Assert.That(delay, Is.EqualTo(TimeSpan.Zero));
    }

    [Test]
    public void NextDelay_ExponentialAfterReset_StartsScheduleAgain()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential);
        var first = Enumerable.Range(0, 3).Select(_ => engine.NextDelay()).ToArray();

        engine.Reset();

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(Ms(200, 400, 800)));
            Assert.That(engine.RetryNumber, Is.Zero);
            Assert.That(engine.NextDelay(), Is.EqualTo(Ms(200)));
            Assert.That(engine.RetryNumber, Is.EqualTo(1));
        });
    }

    [Test]
    public void NextDelay_DecorrelatedAfterReset_PreviousDelayReturnsToBase()
    {
        var engine = new Backoff(random: new Random(7));
        for (var i = 0; i < 50; i++)
        {
            engine.NextDelay();
        }

        engine.Reset();
        var delay = engine.NextDelay();

        Assert.That(delay, Is.InRange(Ms(100), Ms(300)));
    }

    [Test]
    public void WithStatusDelays_RowForStatus_UsesRowOnlyForThatStatus()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential);

        var returned = engine.WithStatusDelays(429, Ms(1_000), Ms(60_000));

        Assert.Multiple(() =>
        {
            Assert.That(returned, Is.SameAs(engine));
            Assert.That(engine.NextDelay(429), Is.EqualTo(Ms(2_000)));
            Assert.That(engine.NextDelay(503), Is.EqualTo(Ms(400)));
            Assert.That(engine.NextDelay(null), Is.EqualTo(Ms(800)));
            Assert.That(engine.DoublingDelay(5, 429), Is.EqualTo(Ms(32_000)));
            Assert.That(engine.DoublingDelay(6, 429), Is.EqualTo(Ms(60_000)));
            Assert.That(engine.DoublingDelay(6, 503), Is.EqualTo(Ms(6_400)));
        });
    }

    [Test]
    public void WithStatusDelays_SameStatusTwice_ReplacesRow()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential)
            .WithStatusDelays(429, Ms(1_000), Ms(60_000))
            .WithStatusDelays(429, Ms(2_000), Ms(5_000));

        Assert.Multiple(() =>
        {
            Assert.That(engine.DoublingDelay(1, 429), Is.EqualTo(Ms(4_000)));
            Assert.That(engine.DoublingDelay(2, 429), Is.EqualTo(Ms(5_000)));
        });
    }

    private static async Task<List<TimeSpan>> DelaySequenceAsync(Backoff engine, int count)
    {
        var delays = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            delays.Add(await engine.DelayAsync(statusCode: null));
        }

        return delays;
    }
}
