using Orion.Http.Retry.Tests.Infrastructure;
using static Orion.Http.Retry.Tests.Infrastructure.Durations;

namespace Orion.Http.Retry.Tests;

public class BackoffDelayAsyncTests
{
    private SteppingTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new SteppingTimeProvider();

    [Test]
    public void DelayAsync_CancelledToken_ThrowsWithoutAdvancing()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential, timeProvider: _clock);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => engine.DelayAsync(503, cancellation.Token));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(_clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_clock.PendingWaits, Is.Zero);
            Assert.That(engine.RetryNumber, Is.Zero);
        });
    }

    [Test]
    public async Task DelayAsync_CancelledDuringWait_EndsAtOnce()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential, timeProvider: _clock);
        using var cancellation = new CancellationTokenSource();
        var delay = engine.DelayAsync(503, cancellation.Token);
        await _clock.WaitForPendingWaitsAsync();

        cancellation.Cancel();

        var exception = Assert.CatchAsync<OperationCanceledException>(() => delay);
        Assert.Multiple(() =>
        {
            Assert.That(exception!.CancellationToken, Is.EqualTo(cancellation.Token));
            Assert.That(_clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_clock.PendingWaits, Is.Zero);
        });
    }

    [Test]
    public async Task DelayAsync_Exponential_ReturnsDelayItWaited()
    {
        var engine = new Backoff(mode: BackoffMode.Exponential, timeProvider: _clock);

        var waited = await _clock.RunAsync(engine.DelayAsync(503));

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.EqualTo(Ms(200)));
            Assert.That(_clock.Elapsed, Is.EqualTo(Ms(200)));
            Assert.That(engine.RetryNumber, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task DelayAsync_ZeroBaseAndCap_ReturnsZeroWithoutTimer()
    {
        var engine = new Backoff(baseDelay: TimeSpan.Zero, cap: TimeSpan.Zero, timeProvider: _clock);

        var waited = await engine.DelayAsync(null);

        Assert.Multiple(() =>
        {
            Assert.That(waited, Is.EqualTo(TimeSpan.Zero));
            Assert.That(_clock.Elapsed, Is.EqualTo(TimeSpan.Zero));
        });
    }
}
