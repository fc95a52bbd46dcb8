namespace Orion.Http.Retry.Internal;

/// <summary>
/// One row of the retry table with every field resolved against the client's options.
/// </summary>
internal sealed class EffectiveRule(long baseTicks, long capTicks, int maxRetries, TimeSpan? retryTimeout)
{
    public long BaseTicks { get; } = baseTicks;

    public long CapTicks { get; } = capTicks;

    public int MaxRetries { get; } = maxRetries;

    /// <summary>Gets the smaller of the row's and the client's retry timeouts, or null when neither is set.</summary>
    public TimeSpan? RetryTimeout { get; } = retryTimeout;
}
