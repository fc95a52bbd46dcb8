using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests.Infrastructure;

public class SteppingTimeProviderTests
{
    private SteppingTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new SteppingTimeProvider();

    [Test]
    public void CreateTimer_TaskDelay_CountsAsWait()
    {
        _ = Task.Delay(Ms(1_000), _clock);

        Assert.That(_clock.PendingWaits, Is.EqualTo(1));
    }

    [Test]
    public void CreateTimer_CancellationTokenSource_CountsAsTimeout()
    {
        using var timeout = new CancellationTokenSource(Ms(1_000), _clock);

        Assert.That(_clock.PendingWaits, Is.Zero);
    }

    [Test]
    public async Task RunAsync_TwoDelays_JumpsToEachAndRecordsThem()
    {
        var delays = Task.Run(async () =>
        {
            await Task.Delay(Ms(1_500), _clock);
            await Task.Delay(Ms(250), _clock);
        });

        await _clock.RunAsync(delays);

        Assert.Multiple(() =>
        {
            Assert.That(_clock.Waits, Is.EqualTo(Ms(1_500, 250)));
            Assert.That(_clock.Elapsed, Is.EqualTo(Ms(1_750)));
        });
    }

    [Test]
    public async Task RunAsync_PendingTimeout_NotAdvancedUnlessAsked()
    {
        using var timeout = new CancellationTokenSource(Ms(5_000), _clock);
        var call = Task.Run(async () =>
        {
            await Task.Delay(Ms(100), _clock);
            return timeout.IsCancellationRequested;
        });

        var timedOut = await _clock.RunAsync(call);

        Assert.Multiple(() =>
        {
            Assert.That(timedOut, Is.False);
            Assert.That(_clock.Elapsed, Is.EqualTo(Ms(100)));
        });
    }

    [Test]
    public async Task RunAsync_AdvanceTimeouts_FiresTimeout()
    {
        using var timeout = new CancellationTokenSource(Ms(5_000), _clock);
        var call = Task.Delay(Timeout.InfiniteTimeSpan, timeout.Token);

        await _clock.RunAsync(call.ContinueWith(_ => timeout.IsCancellationRequested, TaskScheduler.Default), advanceTimeouts: true);

        Assert.That(_clock.Elapsed, Is.EqualTo(Ms(5_000)));
    }
}
