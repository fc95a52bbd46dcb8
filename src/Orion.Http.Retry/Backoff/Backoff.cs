using System.Globalization;
using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry;

/// <summary>
/// A backoff engine: computes the delays of one retry sequence and waits them out on a
/// <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// One instance is one retry sequence: it remembers the previous delay and the retry number,
/// so create one per operation, or call <see cref="Reset"/> between operations. The class is
/// not thread-safe. Each instance owns its random source, so instances used on different
/// threads never share one.
/// </para>
/// <para>
/// Delays are computed in <see cref="TimeSpan.Ticks"/>, so the sums of the doubling schedule are
/// exact. Every delay lies within [0, cap], and no retry number up to <see cref="int.MaxValue"/>
/// overflows.
/// </para>
/// </remarks>
public sealed class Backoff
{
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;
    private Dictionary<int, DelayRange>? _statusRanges;
    private long _previousTicks;
    private int _retryNumber;

    /// <summary>
    /// Initializes a new engine.
    /// </summary>
    /// <param name="baseDelay">The smallest delay of the schedule. Defaults to 0.1 s.</param>
    /// <param name="cap">The largest delay. Defaults to 90 s.</param>
    /// <param name="mode">The formula for each delay. Defaults to <see cref="BackoffMode.DecorrelatedJitter"/>.</param>
    /// <param name="timeProvider">The clock that <see cref="DelayAsync"/> waits on. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">
    /// The random source, owned by this instance from now on. A seeded source repeats its sequence.
    /// Defaults to a new unseeded <see cref="Random"/>.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="baseDelay"/> or <paramref name="cap"/> is negative or over one hour, or
    /// <paramref name="cap"/> is below <paramref name="baseDelay"/>.
    /// </exception>
    public Backoff(
        TimeSpan? baseDelay = null,
        TimeSpan? cap = null,
        BackoffMode mode = BackoffMode.DecorrelatedJitter,
        TimeProvider? timeProvider = null,
        Random? random = null)
    {
        var baseValue = baseDelay ?? RetryDefaults.Base;
        var capValue = cap ?? RetryDefaults.Cap;
        ValidateRange(baseValue, capValue, nameof(baseDelay), nameof(cap));
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, $"Unknown backoff mode {mode}. Use one of: {string.Join(", ", Enum.GetNames<BackoffMode>())}.");
        }

        Base = baseValue;
        Cap = capValue;
        Mode = mode;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _random = random ?? new Random();
        _previousTicks = baseValue.Ticks;
    }

    /// <summary>Gets the base delay used for failures without a status row.</summary>
    public TimeSpan Base { get; }

    /// <summary>Gets the cap used for failures without a status row.</summary>
    public TimeSpan Cap { get; }

    /// <summary>Gets the formula for each delay.</summary>
    public BackoffMode Mode { get; }

    /// <summary>Gets the number of delays computed since creation or the last <see cref="Reset"/>.</summary>
    public int RetryNumber => _retryNumber;

    /// <summary>
    /// Adds or replaces the base and cap used for one status code.
    /// </summary>
    /// <param name="statusCode">The HTTP status code, 100 to 599.</param>
    /// <param name="baseDelay">The base delay for that status.</param>
    /// <param name="cap">The cap for that status.</param>
    /// <returns>This instance, so calls can be chained.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside its range.</exception>
    public Backoff WithStatusDelays(int statusCode, TimeSpan baseDelay, TimeSpan cap)
    {
        ValidateStatusCode(statusCode, nameof(statusCode));
        ValidateRange(baseDelay, cap, nameof(baseDelay), nameof(cap));

        _statusRanges ??= [];
        _statusRanges[statusCode] = new DelayRange(baseDelay.Ticks, cap.Ticks);
        return this;
    }

    /// <summary>
    /// Computes the next delay of this sequence and advances it.
    /// </summary>
    /// <param name="statusCode">
    /// The status code of the failure, or <see langword="null"/> for a failure without a response.
    /// A status without a row uses <see cref="Base"/> and <see cref="Cap"/>.
    /// </param>
    /// <returns>The delay, within [0, cap] of the status's row.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is outside 100 to 599.</exception>
    public TimeSpan NextDelay(int? statusCode = null)
    {
        var range = RangeFor(statusCode);
        return TimeSpan.FromTicks(NextDelayTicks(range.BaseTicks, range.CapTicks));
    }

    /// <summary>
    /// Computes the next delay, waits it out on the engine's <see cref="TimeProvider"/>, and
    /// returns the delay it waited.
    /// </summary>
    /// <param name="statusCode">The status code of the failure, or <see langword="null"/> for a failure without a response.</param>
    /// <param name="cancellationToken">Ends the wait at once. A token already cancelled throws before the sequence advances.</param>
    /// <returns>The delay that was waited.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<TimeSpan> DelayAsync(int? statusCode, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();

        var delay = NextDelay(statusCode);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return delay;
    }

    /// <summary>
    /// Starts a new sequence: the retry number returns to zero and the previous delay to the base.
    /// </summary>
    public void Reset()
    {
        _retryNumber = 0;
        _previousTicks = Base.Ticks;
    }

    /// <summary>
    /// Returns the n-th delay of the deterministic doubling schedule for a status's row:
    /// <c>min(cap, base * 2^n)</c>. The engine's state does not change.
    /// </summary>
    /// <param name="retryNumber">The retry number, from 1.</param>
    /// <param name="statusCode">The status code whose row applies, or <see langword="null"/> for the defaults.</param>
    /// <returns>The delay.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryNumber"/> is below 1, or the status is outside 100 to 599.</exception>
    public TimeSpan DoublingDelay(int retryNumber, int? statusCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);

        var range = RangeFor(statusCode);
        return TimeSpan.FromTicks(DoublingTicks(range.BaseTicks, range.CapTicks, retryNumber));
    }

    /// <summary>
    /// Returns the n-th delay of the deterministic doubling schedule: <c>min(cap, base * 2^n)</c>.
    /// With the defaults the schedule is 0.2, 0.4, 0.8, … 51.2, 90, 90, … seconds.
    /// </summary>
    /// <param name="retryNumber">The retry number, from 1.</param>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="cap">The cap.</param>
    /// <returns>The delay.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static TimeSpan DoublingDelay(int retryNumber, TimeSpan baseDelay, TimeSpan cap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryNumber, 1);
        ValidateRange(baseDelay, cap, nameof(baseDelay), nameof(cap));

        return TimeSpan.FromTicks(DoublingTicks(baseDelay.Ticks, cap.Ticks, retryNumber));
    }

    /// <summary>
    /// Returns the deterministic doubling schedule under a retry count and a retry timeout:
    /// each retry's delay and the cumulative wait, ending where the first limit stops it.
    /// </summary>
    /// <remarks>
    /// Attempts are taken to last no time, so the time that has passed when a wait begins is the
    /// cumulative wait before it. A retry is planned while fewer than <paramref name="maxRetries"/>
    /// retries were made and less than <paramref name="retryTimeout"/> has passed. The timeout is
    /// soft: the last wait may end after it. The count limit is at most 1,000 retries, the
    /// largest <c>MaxRetries</c> the handler accepts, and without one the plan stops there.
    /// </remarks>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="cap">The cap.</param>
    /// <param name="maxRetries">The largest number of retries, 0 to 1,000, or <see langword="null"/> for no count limit.</param>
    /// <param name="retryTimeout">The retry timeout, or <see langword="null"/> for none.</param>
    /// <returns>The planned retries, in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static IReadOnlyList<PlannedRetry> Plan(TimeSpan baseDelay, TimeSpan cap, int? maxRetries, TimeSpan? retryTimeout)
    {
        ValidateRange(baseDelay, cap, nameof(baseDelay), nameof(cap));
        if (maxRetries is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(maxRetries));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, RetryDefaults.MaxRetriesLimit, nameof(maxRetries));
        }

        if (retryTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(retryTimeout));
        }

        var limit = Math.Min(maxRetries ?? RetryDefaults.MaxRetriesLimit, RetryDefaults.MaxRetriesLimit);
        var plan = new List<PlannedRetry>();
        long cumulativeTicks = 0;
        for (var retry = 1; retry <= limit; retry++)
        {
            if (retryTimeout is { } budget && cumulativeTicks >= budget.Ticks)
            {
                break;
            }

            var delayTicks = DoublingTicks(baseDelay.Ticks, cap.Ticks, retry);
            cumulativeTicks += delayTicks;
            plan.Add(new PlannedRetry(retry, TimeSpan.FromTicks(delayTicks), TimeSpan.FromTicks(cumulativeTicks)));
        }

        return plan;
    }

    /// <summary>
    /// Computes the next delay for an explicit row and advances the sequence. Used by the handler,
    /// whose rows come from its options.
    /// </summary>
    internal long NextDelayTicks(long baseTicks, long capTicks)
    {
        var retryNumber = _retryNumber == int.MaxValue ? int.MaxValue : _retryNumber + 1;
        long delay;
        switch (Mode)
        {
            case BackoffMode.Exponential:
                delay = DoublingTicks(baseTicks, capTicks, retryNumber);
                break;

            case BackoffMode.FullJitter:
                var ceiling = DoublingTicks(baseTicks, capTicks, retryNumber);
                delay = (long)(_random.NextDouble() * ceiling);
                break;

            default:
                // The previous delay may come from another row, so it is clamped into this one.
                var previous = Math.Clamp(_previousTicks, baseTicks, capTicks);
                var upper = Math.Max(baseTicks, previous * 3);
                delay = Math.Min(capTicks, baseTicks + (long)(_random.NextDouble() * (upper - baseTicks)));
                break;
        }

        _retryNumber = retryNumber;
        _previousTicks = delay;
        return delay;
    }

    /// <summary>
    /// Records a wait that the server requested in place of the engine's delay: the retry number
    /// advances, and the previous delay becomes the wait clamped to the cap.
    /// </summary>
    internal void RecordExternalDelay(long waitTicks, long capTicks)
    {
        _retryNumber = _retryNumber == int.MaxValue ? int.MaxValue : _retryNumber + 1;
        _previousTicks = Math.Min(waitTicks, capTicks);
    }

    /// <summary>Draws a random spread in [0, <paramref name="maxTicks"/>] from this engine's source.</summary>
    internal long NextSpreadTicks(long maxTicks) =>
        maxTicks <= 0 ? 0 : (long)(_random.NextDouble() * maxTicks);

    /// <summary>Returns <c>min(cap, base * 2^n)</c> without overflow.</summary>
    internal static long DoublingTicks(long baseTicks, long capTicks, int retryNumber)
    {
        // A shift of 62 or more would overflow any positive base, and cap >> n reaching zero
        // means base * 2^n exceeds the cap.
        if (baseTicks == 0)
        {
            return 0;
        }

        if (retryNumber >= 62 || baseTicks > (capTicks >> retryNumber))
        {
            return capTicks;
        }

        return Math.Min(capTicks, baseTicks << retryNumber);
    }

    internal static void ValidateRange(TimeSpan baseDelay, TimeSpan cap, string baseName, string capName)
    {
        if (baseDelay < TimeSpan.Zero || baseDelay > RetryDefaults.MaxDelay)
        {
            throw new ArgumentOutOfRangeException(baseName, baseDelay, $"The base delay must be between 0 and {Format(RetryDefaults.MaxDelay)}; {Format(baseDelay)} is outside that range.");
        }

        if (cap < TimeSpan.Zero || cap > RetryDefaults.MaxDelay)
        {
            throw new ArgumentOutOfRangeException(capName, cap, $"The cap must be between 0 and {Format(RetryDefaults.MaxDelay)}; {Format(cap)} is outside that range.");
        }

        if (cap < baseDelay)
        {
            throw new ArgumentOutOfRangeException(capName, cap, $"The cap {Format(cap)} is below the base delay {Format(baseDelay)}. Raise the cap or lower the base.");
        }
    }

    internal static void ValidateStatusCode(int statusCode, string name)
    {
        if (statusCode is < RetryDefaults.MinStatusCode or > RetryDefaults.MaxStatusCode)
        {
            throw new ArgumentOutOfRangeException(name, statusCode, $"The status code {statusCode} is not an HTTP status code. Use a value from {RetryDefaults.MinStatusCode} to {RetryDefaults.MaxStatusCode}.");
        }
    }

    private DelayRange RangeFor(int? statusCode)
    {
        if (statusCode is { } status)
        {
            ValidateStatusCode(status, nameof(statusCode));
            if (_statusRanges is not null && _statusRanges.TryGetValue(status, out var range))
            {
                return range;
            }
        }

        return new DelayRange(Base.Ticks, Cap.Ticks);
    }

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private readonly record struct DelayRange(long BaseTicks, long CapTicks);
}
