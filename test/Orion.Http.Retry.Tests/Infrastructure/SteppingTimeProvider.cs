using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Orion.Http.Retry.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tracks its timers, so that a test can run calls while the
/// clock jumps exactly to each pending wait, and read back every wait that elapsed.
/// </summary>
/// <remarks>
/// A timer whose state is a <see cref="CancellationTokenSource"/> comes from
/// <c>new CancellationTokenSource(TimeSpan, TimeProvider)</c> and counts as a timeout; every other
/// timer counts as a wait, such as the one behind <c>Task.Delay(TimeSpan, TimeProvider, CancellationToken)</c>.
/// </remarks>
internal sealed class SteppingTimeProvider : FakeTimeProvider
{
    /// <summary>The longest real time to wait for a call to finish or block on a timer before giving up.</summary>
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly List<TrackedTimer> _timers = [];
    private readonly List<TimeSpan> _waits = [];

    /// <summary>Gets the fake time that has passed since the provider was created.</summary>
    public TimeSpan Elapsed => GetUtcNow() - Start;

    /// <summary>
    /// Gets the length of every wait timer that fired, in firing order. <c>Task.Delay</c> on a
    /// <see cref="TimeProvider"/> truncates its delay to whole milliseconds (.NET 10), so these are whole milliseconds.
    /// </summary>
    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    /// <summary>Gets the sum of <see cref="Waits"/>.</summary>
    public TimeSpan TotalWait => Waits.Aggregate(TimeSpan.Zero, (sum, wait) => sum + wait);

    /// <summary>Gets the number of wait timers that are armed and not yet due.</summary>
    public int PendingWaits => CountPending(includeTimeouts: false);

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this, callback, state, isTimeout: state is CancellationTokenSource);
        tracked.Arm(dueTime, period);
        lock (_gate)
        {
            _timers.Add(tracked);
        }

        tracked.Inner = base.CreateTimer(static s => ((TrackedTimer)s!).Fire(), tracked, dueTime, period);
        return tracked;
    }

    /// <summary>
    /// Runs one call to its end: whenever the call is blocked on a timer, the clock jumps to that
    /// timer's due time.
    /// </summary>
    /// <param name="call">The call, already started.</param>
    /// <param name="advanceTimeouts">
    /// Whether timeout timers are advanced too. Set it only when every attempt hangs until it is
    /// cancelled; otherwise an attempt that is about to complete could be timed out.
    /// </param>
    public async Task<T> RunAsync<T>(Task<T> call, bool advanceTimeouts = false)
    {
        await RunAllAsync([call], advanceTimeouts);
        return await call;
    }

    /// <inheritdoc cref="RunAsync{T}(Task{T}, bool)"/>
    public async Task RunAsync(Task call, bool advanceTimeouts = false)
    {
        await RunAllAsync([call], advanceTimeouts);
        await call;
    }

    /// <summary>
    /// Runs calls until all have completed. The clock jumps to the earliest due timer only when every
    /// unfinished call is blocked on one, so no call falls behind the clock. Exceptions of the calls
    /// are left in their tasks.
    /// </summary>
    public async Task RunAllAsync(IReadOnlyCollection<Task> calls, bool advanceTimeouts = false)
    {
        var sinceProgress = Stopwatch.StartNew();
        while (true)
        {
            var running = calls.Count(call => !call.IsCompleted);
            if (running == 0)
            {
                return;
            }

            if (CountPending(advanceTimeouts) >= running && EarliestDue(advanceTimeouts) is { } due)
            {
                SetUtcNow(due);
                sinceProgress.Restart();
                continue;
            }

            if (sinceProgress.Elapsed > StallLimit)
            {
                throw new InvalidOperationException(
                    $"{running} calls neither completed nor blocked on a timer within {StallLimit.TotalSeconds} s of real time; pending timers: {CountPending(advanceTimeouts)}.");
            }

            // Real time: lets the calls' continuations run on the thread pool.
            await Task.Delay(1);
        }
    }

    /// <summary>Waits in real time until at least <paramref name="count"/> wait timers are pending.</summary>
    public async Task WaitForPendingWaitsAsync(int count = 1)
    {
        var waited = Stopwatch.StartNew();
        while (PendingWaits < count)
        {
            if (waited.Elapsed > StallLimit)
            {
                throw new InvalidOperationException($"Only {PendingWaits} of {count} waits started within {StallLimit.TotalSeconds} s of real time.");
            }

            await Task.Delay(1);
        }
    }

    private int CountPending(bool includeTimeouts)
    {
        lock (_gate)
        {
            return _timers.Count(timer => timer.DueAt is not null && (includeTimeouts || !timer.IsTimeout));
        }
    }

    private DateTimeOffset? EarliestDue(bool includeTimeouts)
    {
        lock (_gate)
        {
            return _timers
                .Where(timer => timer.DueAt is not null && (includeTimeouts || !timer.IsTimeout))
                .Select(timer => timer.DueAt)
                .Min();
        }
    }

    private void OnFired(TrackedTimer timer, TimeSpan length)
    {
        lock (_gate)
        {
            if (!timer.IsTimeout)
            {
                _waits.Add(length);
            }

            if (timer.DueAt is null)
            {
                _timers.Remove(timer);
            }
        }
    }

    private void OnDisposed(TrackedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    /// <summary>A timer of the base provider, with its due time kept where the runner can read it.</summary>
    private sealed class TrackedTimer(SteppingTimeProvider owner, TimerCallback callback, object? state, bool isTimeout) : ITimer
    {
        private TimeSpan _length;
        private TimeSpan _period;

        public bool IsTimeout { get; } = isTimeout;

        /// <summary>Gets the time the timer fires next, or null when it is disarmed or disposed.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        public ITimer? Inner { get; set; }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                _length = dueTime;
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            }
        }

        public void Fire()
        {
            TimeSpan length;
            lock (owner._gate)
            {
                length = _length;
                var periodic = _period != Timeout.InfiniteTimeSpan && _period != TimeSpan.Zero;
                DueAt = periodic ? DueAt + _period : null;
                _length = periodic ? _period : _length;
            }

            owner.OnFired(this, length);
            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }
            }

            return Inner!.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                DueAt = null;
            }

            owner.OnDisposed(this);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
