using Orion.Http.Retry.Internal;

namespace Orion.Http.Retry;

/// <summary>
/// Per-request control of <see cref="JitteredBackoffHandler"/>, stored in
/// <see cref="HttpRequestMessage.Options"/>.
/// </summary>
public static class HttpRequestMessageRetryExtensions
{
    /// <summary>
    /// Sends this request once: no failure of it is retried. Timeouts still apply. Replaces an
    /// earlier <see cref="WithRetryLimits"/> on the same request.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <returns>The same request, for chaining.</returns>
    public static HttpRequestMessage WithoutRetries(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);

        request.Options.Set(RequestSettings.Key, new RequestSettings { RetriesDisabled = true });
        return request;
    }

    /// <summary>
    /// Replaces the client's retry count and retry timeout for this request only. A limit left
    /// <see langword="null"/> keeps the client's value. Replaces an earlier
    /// <see cref="WithoutRetries"/> on the same request, so retries are on again.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="maxRetries">The retries this request may reach, whatever the rules of its failures allow, 0 to 1,000.</param>
    /// <param name="retryTimeout">The soft retry budget of this request, positive and at most 24 h.</param>
    /// <returns>The same request, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A limit is outside its range.</exception>
    public static HttpRequestMessage WithRetryLimits(this HttpRequestMessage request, int? maxRetries = null, TimeSpan? retryTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (maxRetries is { } count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(maxRetries));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, RetryDefaults.MaxRetriesLimit, nameof(maxRetries));
        }

        if (retryTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(retryTimeout));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(timeout, RetryDefaults.MaxTimeout, nameof(retryTimeout));
        }

        request.Options.Set(RequestSettings.Key, new RequestSettings { MaxRetries = maxRetries, RetryTimeout = retryTimeout });
        return request;
    }

    /// <summary>
    /// Returns what happened to a call that met a retryable failure: attempts, total delay and why
    /// retries stopped.
    /// </summary>
    /// <param name="request">The request, after the call.</param>
    /// <returns>
    /// The outcome, or <see langword="null"/> when the first attempt ended the call without a
    /// retryable failure. The success path does not touch <see cref="HttpRequestMessage.Options"/>,
    /// so a request object sent again through an <see cref="HttpMessageInvoker"/> keeps the outcome
    /// of its earlier call when the later one needs none.
    /// </returns>
    public static RetryOutcome? GetRetryOutcome(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);

        return request.Options.TryGetValue(RequestSettings.OutcomeKey, out var outcome) ? outcome : null;
    }
}
