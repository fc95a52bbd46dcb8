namespace Orion.Http.Retry;

/// <summary>
/// One retry of a deterministic schedule returned by <see cref="Backoff.Plan"/>.
/// </summary>
/// <param name="Retry">The retry number, from 1.</param>
/// <param name="Delay">The wait before this retry.</param>
/// <param name="CumulativeWait">The sum of the waits up to and including this one.</param>
public readonly record struct PlannedRetry(int Retry, TimeSpan Delay, TimeSpan CumulativeWait)
{
    /// <summary>
    /// Gets the time that has passed since the first attempt when this retry's wait begins,
    /// assuming attempts take no time.
    /// </summary>
    public TimeSpan WaitBegins => CumulativeWait - Delay;
}
