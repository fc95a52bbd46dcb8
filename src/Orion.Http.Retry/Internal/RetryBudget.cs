namespace Orion.Http.Retry.Internal;

/// <summary>
/// A retry budget over a sliding window, shared by every handler of one client name.
/// </summary>
/// <remarks>
/// The window is split into buckets of one tenth of its length. Each bucket counts the calls
/// started and the retries admitted during its slice of time, and is reset by the first thread
/// that reaches it in a new slice. Counting uses interlocked operations only. A retry is counted
/// before the limit is checked and uncounted when it does not fit, so concurrent callers can be
/// refused near the limit but never admitted past it.
/// </remarks>
internal sealed class RetryBudget
{
    private const int BucketCount = 10;

    private readonly TimeProvider _timeProvider;
    private readonly Bucket[] _buckets;
    private long _rejectedSinceReport;
    private long _lastLogTimestamp;

    public RetryBudget(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _buckets = new Bucket[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            _buckets[i] = new Bucket();
        }
    }

    /// <summary>Counts a call that starts now.</summary>
    public void RecordCall(TimeSpan window) => RecordCall(window, _timeProvider.GetTimestamp());

    /// <summary>
    /// Counts a call that started at <paramref name="timestamp"/>, a timestamp of the budget's
    /// <see cref="TimeProvider"/>, so a caller that has already read the clock does not read it again.
    /// </summary>
    public void RecordCall(TimeSpan window, long timestamp)
    {
        var bucket = Current(window, timestamp);
        Interlocked.Increment(ref bucket.Calls);
    }

    /// <summary>Admits a retry and counts it, or refuses it when the window has no room left.</summary>
    public bool TryAcquireRetry(double retryRatio, int minRetriesPerSecond, TimeSpan window)
    {
        var timestamp = _timeProvider.GetTimestamp();
        var bucket = Current(window, timestamp);
        Interlocked.Increment(ref bucket.Retries);

        Sum(window, timestamp, out var calls, out var retries);

        // The count includes this retry, so the retries made before it are one fewer.
        var limit = (retryRatio * calls) + (minRetriesPerSecond * window.TotalSeconds);
        if (retries - 1 < limit)
        {
            return true;
        }

        Interlocked.Decrement(ref bucket.Retries);
        Interlocked.Increment(ref _rejectedSinceReport);
        return false;
    }

    /// <summary>
    /// Returns the number of retries refused since the last report when at least
    /// <paramref name="interval"/> has passed since then, so that a refusal is logged at most once
    /// per interval; otherwise returns 0.
    /// </summary>
    public long TakeRejectionsToReport(TimeSpan interval, out TimeSpan sinceLastReport)
    {
        // A timestamp of zero means nothing was reported yet, so the first refusal is reported at once.
        var last = Interlocked.Read(ref _lastLogTimestamp);
        var now = _timeProvider.GetTimestamp();
        sinceLastReport = last == 0 ? TimeSpan.Zero : _timeProvider.GetElapsedTime(last, now);
        if ((last != 0 && sinceLastReport < interval) || Interlocked.CompareExchange(ref _lastLogTimestamp, now, last) != last)
        {
            return 0;
        }

        return Interlocked.Exchange(ref _rejectedSinceReport, 0);
    }

    private Bucket Current(TimeSpan window, long timestamp)
    {
        var slice = Slice(window, timestamp);
        var bucket = _buckets[(int)(slice % BucketCount)];

        // Every call reads this. Volatile.Read reads a long atomically on every platform, and on
        // 64-bit platforms it is a plain load where Interlocked.Read is a compare-exchange.
        var seen = Volatile.Read(ref bucket.Slice);
        if (seen != slice && Interlocked.CompareExchange(ref bucket.Slice, slice, seen) == seen)
        {
            // This thread moved the bucket into a new slice, so the counts of the old one go.
            Interlocked.Exchange(ref bucket.Calls, 0);
            Interlocked.Exchange(ref bucket.Retries, 0);
        }

        return bucket;
    }

    private void Sum(TimeSpan window, long timestamp, out long calls, out long retries)
    {
        var slice = Slice(window, timestamp);
        calls = 0;
        retries = 0;
        foreach (var bucket in _buckets)
        {
            if (slice - Interlocked.Read(ref bucket.Slice) < BucketCount)
            {
                calls += Interlocked.Read(ref bucket.Calls);
                retries += Interlocked.Read(ref bucket.Retries);
            }
        }
    }

    private long Slice(TimeSpan window, long timestamp)
    {
        var sliceTicks = Math.Max(1, window.Ticks / BucketCount);
        var elapsed = _timeProvider.GetElapsedTime(0, timestamp);
        return elapsed.Ticks / sliceTicks;
    }

    private sealed class Bucket
    {
        public long Slice = -1;
        public long Calls;
        public long Retries;
    }
}
