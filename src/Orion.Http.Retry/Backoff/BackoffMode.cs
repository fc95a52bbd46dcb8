namespace Orion.Http.Retry;

/// <summary>
/// The formula that <see cref="Backoff"/> uses to compute each delay.
/// </summary>
public enum BackoffMode
{
    /// <summary>
    /// Decorrelated jitter: each delay is drawn uniformly between the base and three times
    /// the previous delay, then capped. Clients that failed together drift apart quickly.
    /// </summary>
    DecorrelatedJitter = 0,

    /// <summary>
    /// Full jitter: the n-th delay is drawn uniformly between zero and
    /// <c>min(cap, base * 2^n)</c>.
    /// </summary>
    FullJitter = 1,

    /// <summary>
    /// Exponential backoff without jitter: the n-th delay is <c>min(cap, base * 2^n)</c>.
    /// Deterministic, so clients that failed together retry together.
    /// </summary>
    Exponential = 2,
}
