using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests;

public class BackoffJitterTests
{
    private const int SampleCount = 100_000;

    private static readonly TimeSpan DefaultBase = Ms(100);
    private static readonly TimeSpan DefaultCap = Ms(90_000);
    private static readonly TimeSpan TooManyRequestsBase = Ms(1_000);
    private static readonly TimeSpan TooManyRequestsCap = Ms(60_000);

    [Test]
    public void NextDelay_DecorrelatedSeeded_EveryDelayWithinBaseAndCap()
    {
        var engine = new Backoff(random: new Random(1));

        var delays = Enumerable.Range(0, SampleCount).Select(_ => engine.NextDelay(503)).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(delays, Has.All.InRange(DefaultBase, DefaultCap));
            Assert.That(delays.Max(), Is.EqualTo(DefaultCap), "the cap is reached once the delays have grown");
        });
    }

    [Test]
    public void NextDelay_DecorrelatedAcrossStatusChanges_EveryDelayWithinItsRow()
    {
        var engine = new Backoff(random: new Random(2)).WithStatusDelays(429, TooManyRequestsBase, TooManyRequestsCap);
        var blockLengths = new Random(3);
        var outOfRow = new List<string>();

        var produced = 0;
        while (produced < SampleCount)
        {
            // Blocks of 503, then 429, then 503, of random lengths, so the previous delay carried
            // into a block can lie below, inside or above that block's row.
            foreach (var status in new[] { 503, 429, 503 })
            {
                var length = blockLengths.Next(1, 30);
                for (var i = 0; i < length && produced < SampleCount; i++, produced++)
                {
                    var delay = engine.NextDelay(status);
                    var (low, high) = status == 429 ? (TooManyRequestsBase, TooManyRequestsCap) : (DefaultBase, DefaultCap);
                    if (delay < low || delay > high)
                    {
                        outOfRow.Add($"delay {produced}: {status} -> {delay}");
                    }
                }
            }
        }

        Assert.That(outOfRow, Is.Empty);
    }

    [Test]
    public void NextDelay_DecorrelatedFrom429RowTo503_ClampsPreviousIntoNewRow()
    {
        var engine = new Backoff(random: new Random(4)).WithStatusDelays(429, TooManyRequestsBase, TooManyRequestsCap);
        for (var i = 0; i < 200; i++)
        {
            engine.NextDelay(503);
        }

        var after429 = engine.NextDelay(429);
        var backTo503 = engine.NextDelay(503);

        Assert.Multiple(() =>
        {
            Assert.That(after429, Is.InRange(TooManyRequestsBase, TooManyRequestsCap));
            Assert.That(backTo503, Is.InRange(DefaultBase, DefaultCap));
        });
    }

    [Test]
    public void NextDelay_FullJitterSeeded_EveryDelayWithinZeroAndDoublingCeiling()
    {
        var engine = new Backoff(mode: BackoffMode.FullJitter, random: new Random(5));
        var outOfRange = new List<string>();

        for (var sequence = 0; sequence < SampleCount / 20; sequence++)
        {
            engine.Reset();
            for (var n = 1; n <= 20; n++)
            {
                var delay = engine.NextDelay();
                var ceiling = Backoff.DoublingDelay(n, DefaultBase, DefaultCap);
                if (delay < TimeSpan.Zero || delay > ceiling)
                {
                    outOfRange.Add($"retry {n}: {delay} outside [0, {ceiling}]");
                }
            }
        }

        Assert.That(outOfRange, Is.Empty);
    }

    [Test]
    public void NextDelay_DecorrelatedFirstDelay_MeanIsTwiceBaseWithinTwoPercent()
    {
        var engine = new Backoff(baseDelay: DefaultBase, random: new Random(6));

        var total = 0.0;
        for (var i = 0; i < SampleCount; i++)
        {
            engine.Reset();
            total += engine.NextDelay().TotalSeconds;
        }

        Assert.That(total / SampleCount, Is.EqualTo(0.2).Within(2).Percent);
    }

    [TestCase(BackoffMode.DecorrelatedJitter)]
    [TestCase(BackoffMode.FullJitter)]
    public void NextDelay_EqualSeeds_ReturnEqualSequences(BackoffMode mode)
    {
        var first = new Backoff(mode: mode, random: new Random(42));
        var second = new Backoff(mode: mode, random: new Random(42));

        var firstDelays = Enumerable.Range(0, 1000).Select(i => first.NextDelay(i % 7 == 0 ? 429 : 503)).ToArray();
        var secondDelays = Enumerable.Range(0, 1000).Select(i => second.NextDelay(i % 7 == 0 ? 429 : 503)).ToArray();

        Assert.That(secondDelays, Is.EqualTo(firstDelays));
    }

    [Test]
    public void NextDelay_DifferentSeeds_ReturnDifferentSequences()
    {
        var first = new Backoff(random: new Random(42));
        var second = new Backoff(random: new Random(43));

        var firstDelays = Enumerable.Range(0, 20).Select(_ => first.NextDelay()).ToArray();
        var secondDelays = Enumerable.Range(0, 20).Select(_ => second.NextDelay()).ToArray();

        Assert.That(secondDelays, Is.Not.EqualTo(firstDelays));
    }

    [Test]
    public void NextDelay_SixteenThreadsWithOwnEngines_NoDelayOutOfBounds()
    {
        const int threadCount = 16;
        const int delaysPerThread = 50_000;
        var outOfBounds = 0;
        var produced = 0;
        using var start = new Barrier(threadCount);

        var threads = Enumerable.Range(0, threadCount).Select(index => new Thread(() =>
        {
            var mode = (BackoffMode)(index % 3);
            var engine = new Backoff(mode: mode).WithStatusDelays(429, TooManyRequestsBase, TooManyRequestsCap);
            start.SignalAndWait();
            for (var i = 0; i < delaysPerThread; i++)
            {
                var status = i % 5 == 0 ? 429 : 503;
                var delay = engine.NextDelay(status);
                var (low, high) = status == 429 ? (TooManyRequestsBase, TooManyRequestsCap) : (DefaultBase, DefaultCap);
                if (mode != BackoffMode.DecorrelatedJitter)
                {
                    low = TimeSpan.Zero;
                }

                if (delay < low || delay > high)
                {
                    Interlocked.Increment(ref outOfBounds);
                }

                Interlocked.Increment(ref produced);
            }
        })).ToList();

        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.Multiple(() =>
        {
            Assert.That(produced, Is.EqualTo(threadCount * delaysPerThread));
            Assert.That(outOfBounds, Is.Zero);
        });
    }
}
