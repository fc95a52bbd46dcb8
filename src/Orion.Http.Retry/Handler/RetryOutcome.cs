namespace Orion.Http.Retry;

/// <summary>
/// What happened to one call that met a retryable failure: returned by
/// <see cref="HttpRequestMessageRetryExtensions.GetRetryOutcome"/>.
/// </summary>
public sealed class RetryOutcome
{
    internal RetryOutcome(int attempts, TimeSpan totalDelay, RetryStopReason stopReason)
    {
        Attempts = attempts;
        TotalDelay = totalDelay;
        StopReason = stopReason;
    }

    /// <summary>Gets the number of attempts sent, the first included.</summary>
    public int Attempts { get; }

    /// <summary>Gets the sum of the waits between attempts.</summary>
    public TimeSpan TotalDelay { get; }

    /// <summary>Gets why no further retry was made.</summary>
    public RetryStopReason StopReason { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Attempts} attempts, {TotalDelay.TotalSeconds:0.###} s waited, stopped: {StopReason}";
}
