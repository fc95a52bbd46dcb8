namespace Orion.Http.Retry.Demo.Scenario;

/// <summary>
/// A clock that runs <see cref="Scale"/> times faster than real time: timestamps and the UTC time
/// advance <see cref="Scale"/> times as fast, and timers fire after their due time divided by
/// <see cref="Scale"/>. Delays and timeouts measured on it keep their unscaled values, so a 10 s
/// attempt timeout reads as 10 s while it lasts 10 s / <see cref="Scale"/> of real time.
/// </summary>
internal sealed class ScaledTimeProvider : TimeProvider
{
    private readonly long _originTimestamp;
    private readonly DateTimeOffset _originUtc;

    /// <summary>Creates a clock that starts at the current time and runs <paramref name="scale"/> times faster.</summary>
    /// <param name="scale">The speed-up, at least 1.</param>
    public ScaledTimeProvider(double scale)
    {
        if (!double.IsFinite(scale) || scale < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The time scale must be a finite number of at least 1.");
        }

        Scale = scale;
        _originTimestamp = System.GetTimestamp();
        _originUtc = System.GetUtcNow();
    }

    /// <summary>Gets how many times faster than real time this clock runs.</summary>
    public double Scale { get; }

    public override long TimestampFrequency => System.TimestampFrequency;

    public override long GetTimestamp() => _originTimestamp + ScaledElapsedTimestampTicks();

    public override DateTimeOffset GetUtcNow()
    {
        var elapsedSeconds = (double)ScaledElapsedTimestampTicks() / System.TimestampFrequency;
        return _originUtc + TimeSpan.FromSeconds(elapsedSeconds);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(System.CreateTimer(callback, state, ToRealTime(dueTime), ToRealTime(period)), this);

    /// <summary>Converts a span on this clock into the real time it lasts. Infinite stays infinite.</summary>
    public TimeSpan ToRealTime(TimeSpan scaled) =>
        scaled == Timeout.InfiniteTimeSpan ? scaled : TimeSpan.FromTicks((long)(scaled.Ticks / Scale));

    private long ScaledElapsedTimestampTicks() =>
        (long)((System.GetTimestamp() - _originTimestamp) * Scale);

    /// <summary>A system timer whose <see cref="Change"/> takes spans on the scaled clock.</summary>
    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) =>
            inner.Change(clock.ToRealTime(dueTime), clock.ToRealTime(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
